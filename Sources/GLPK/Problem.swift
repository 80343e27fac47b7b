import CGLPK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one glp_prob. GLPK's environment is thread-local, so a Problem must be
/// created, used and deinited on ONE thread (GLPKSolver.solve arranges that).
public final class Problem {
    private let prob: OpaquePointer
    /// Environment generation at creation; a change means GLPK freed `prob`.
    private let generation: UInt
    private let owner: pthread_t
    private let model: LinearModel
    /// Effective (rounded / clamped) column bounds actually given to GLPK.
    private let bounds: [(lower: Double?, upper: Double?)]
    /// Set when an integer column has no integer value within its bounds.
    private let emptyIntegerDomain: String?

    public init(_ model: LinearModel) throws {
        try Problem.validate(model)
        var bounds: [(lower: Double?, upper: Double?)] = []
        bounds.reserveCapacity(model.columns.count)
        var empty: String? = nil
        for (j, column) in model.columns.enumerated() {
            let b = Problem.effectiveBounds(column)
            if let l = b.lower, let u = b.upper, l > u {
                // Keep the model's own bounds for GLPK (writers stay faithful);
                // solve() reports infeasible without calling GLPK.
                if empty == nil {
                    empty = "column \(j) '\(column.name)' has no integer value in [\(column.lower.map { "\($0)" } ?? "-inf"), \(column.upper.map { "\($0)" } ?? "+inf")]"
                }
                bounds.append((column.lower, column.upper))
            } else {
                bounds.append(b)
            }
        }
        // Build everything before initializing stored properties, so a failed
        // init never runs deinit on a half-built or already-freed glp_prob.
        let generation = UInt(cglpk_generation())
        let prob = try Problem.build(model, bounds: bounds)
        self.prob = prob
        self.generation = generation
        self.owner = pthread_self()
        self.model = model
        self.bounds = bounds
        self.emptyIntegerDomain = empty
    }

    deinit {
        // After an internal error the env (and prob) is already gone; from a
        // foreign thread freeing would corrupt the other env, so leak instead.
        guard UInt(cglpk_generation()) == generation, pthread_equal(owner, pthread_self()) != 0 else { return }
        _ = cglpk_delete(prob)
    }

    // MARK: - Solving

    public func solve(_ options: SolveOptions = SolveOptions()) throws -> Solution {
        try checkUsable()
        try Problem.validate(options)
        let clock = ContinuousClock()
        let start = clock.now
        // Limits beyond ~30 years (or +inf) mean no limit; Duration would overflow.
        let deadline = options.timeLimitSeconds.flatMap { $0 < 1e9 ? start.advanced(by: .seconds($0)) : nil }
        cglpk_log_clear()
        var notes: [String] = []
        var gomoryCuts = 0

        func elapsed() -> Double { seconds(start.duration(to: clock.now)) }
        func remainingMilliseconds() -> Int32 {
            guard let deadline else { return Int32.max }
            let ms = seconds(clock.now.duration(to: deadline)) * 1000
            return Int32(max(1, min(Double(Int32.max), ms.rounded(.up))))
        }
        func finish(_ s: Solution) -> Solution {
            var s = s
            s.seconds = elapsed()
            s.gomoryCuts = gomoryCuts
            var log = String(cString: cglpk_log())
            // GLPK left mid-line (on a stop) ends its log without a line break.
            if !log.isEmpty, !log.hasSuffix("\n") { log += "\n" }
            for note in notes { log += note + "\n" }
            s.log = log
            cglpk_log_clear()
            return s
        }

        if let empty = emptyIntegerDomain {
            notes.append("Infeasible before solving: \(empty)")
            return finish(Solution(status: .infeasible))
        }

        // 1. LP (or the MIP's LP relaxation). Relaxing first reports infeasible /
        // unbounded relaxations cleanly and gives duals and a global bound.
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_ON  // captured by the term hook, never printed
        smcp.presolve = options.presolve ? GLP_ON : GLP_OFF
        if model.columns.count > Problem.dualSimplexColumns {
            smcp.meth = GLP_DUALP  // the primal simplex if the dual fails
            smcp.r_test = GLP_RT_FLIP
        }
        // Stopped (Ctrl-C) before it began, as the later regions of a national programme are: the simplex
        // cannot be interrupted, and would run on to the time limit (a 40,000-column region's took 15 s). A
        // second at most, for a bound if it finishes; then the starting solution is the answer.
        let stoppedBeforeStart = model.isInteger && options.shouldStop?() == true
        // The starting solution, checked once for all its uses below: its values when it is a plan of the
        // model, else the reason it is not.
        var startCheck: (values: [Double]?, problem: String?)?
        func checkedStart() throws -> (values: [Double]?, problem: String?)? {
            guard let given = options.startingSolution else { return nil }
            if startCheck == nil {
                // glp_ios_heur_sol only checks integrality: an infeasible point would silently become the incumbent.
                let checked = try model.checkedStartingSolution(given)
                startCheck = (checked.values, checked.reason)
            }
            return startCheck
        }
        func startingPlan() throws -> [Double]? { try checkedStart()?.values }
        func milliseconds(_ seconds: Double) -> Int32 { Int32(max(1, min(1e9, (seconds * 1000).rounded(.up)))) }
        let stoppedMilliseconds = milliseconds(options.relaxationSecondsWhenStopped)
        // A relaxation is time without a better plan too. When a stalled search hands its time to the
        // neighbourhood search (`stallSeconds`), a relaxation that takes longer hands it over the same way,
        // keeping the starting plan (when there is one to keep): a national region of 39,706 columns spent its
        // whole share on an LP it never finished, and kept the heuristic's plan.
        let relaxationSeconds = options.stallSeconds.map { options.relaxationSeconds ?? $0 }
        let stallMilliseconds = try relaxationSeconds.flatMap { try model.isInteger && startingPlan() != nil ? milliseconds($0) : nil }
        // Whether the latest simplex call's limit is the stall time rather than the time left (a re-solve after
        // the presolver or the dual simplex gives up may be limited by the time left instead).
        var relaxationStalled = false
        func simplexMilliseconds() -> Int32 {
            let limit = stoppedBeforeStart ? min(remainingMilliseconds(), stoppedMilliseconds) : remainingMilliseconds()
            relaxationStalled = stallMilliseconds.map { $0 < limit } ?? false
            return relaxationStalled ? stallMilliseconds! : limit
        }
        /// The relaxation ran out of time: the starting solution, if valid, with the bound the unfinished LP gives.
        func startAfterTimedOutRelaxation(_ lpDuals: [Double]) throws -> Solution {
            guard var start = try startingPlan().map({ startAsAnswer($0, rowMultipliers: lpDuals) }) else {
                return Solution(status: .noSolution, stoppedByTimeLimit: !stoppedBeforeStart)
            }
            if stoppedBeforeStart {
                start.stoppedByTimeLimit = false
                notes.append("Stopped before the search began; the starting solution is the answer, with any bound the unfinished relaxation gives")
            } else if relaxationStalled {
                start.stoppedByTimeLimit = false
                start.stoppedByStall = true
                notes.append(String(format: "The relaxation did not finish in %g s, its limit before the search hands over as a stalled one does: the starting solution is kept, with the bound the unfinished relaxation gives", relaxationSeconds ?? 0))
            }
            return start
        }
        // A relaxation the dual simplex would take (a large block) does not finish in that second: a national
        // region of 39,706 columns made 556 of its iterations, and its bound was worth nothing beside the
        // priced bound of the allocation. Eight such regions held a national Ctrl-C for 4 of its 7 s.
        /// The starting solution as the answer of a search a stop ended before it began, without a bound of its
        /// own (nil without one); `note` says why in the log.
        func startWithoutBound(note: String) throws -> Solution? {
            notes.append(note)
            guard var start = try startingPlan().map({ startAsAnswer($0) }) else { return nil }
            start.stoppedByTimeLimit = false
            return start
        }
        if stoppedBeforeStart, model.columns.count > Problem.dualSimplexColumns, try startingPlan() != nil,
           let start = try startWithoutBound(note: String(format: "Stopped before the search began; the starting solution is the answer, without a bound of its own (a relaxation of %d columns does not finish in %g s)", model.columns.count, options.relaxationSecondsWhenStopped)) {
            return finish(start)
        }
        var ret: Int32 = 0
        // A stop reaches a MIP's relaxation at its progress lines (the simplex takes no other): under a time
        // limit a region's runs to the stall time, and one of 14,188 columns held a national Ctrl-C for 8 s.
        // Leaving frees GLPK's environment, as a tree left inside GLPK does; the answer is then the starting
        // solution, without a bound of its own.
        // (A stop asked for before the relaxation began gives it its second instead.)
        let stopPoll = model.isInteger && options.shouldStop != nil && !stoppedBeforeStart
            ? CallbackContext(options: options, clock: clock, start: start) : nil
        /// Runs the simplex from `basis` (see cglpk_simplex); false when a stop left it.
        func simplex(basis: Int32) throws -> Bool {
            smcp.tm_lim = simplexMilliseconds()
            let rc = withExtendedLifetime(stopPoll) {
                cglpk_simplex(prob, &smcp, basis, &ret, stopPoll == nil ? nil : intoptEvent,
                              stopPoll.map { Unmanaged.passUnretained($0).toOpaque() })
            }
            if rc == CGLPK_ABANDONED { return false }
            try check(rc)
            return true
        }
        func leftOnStop() throws -> Solution {
            try startWithoutBound(note: "Left GLPK's relaxation when asked to stop: the starting solution is the answer, without a bound of its own")
                ?? Solution(status: .noSolution)
        }
        if options.interiorRoot, model.isInteger, !stoppedBeforeStart, options.stallSeconds != nil,
           let atRoot = options.nodeHeuristic?.atRoot, let plan = try startingPlan() {
            switch try interiorRoot(from: plan, options: options, rounding: atRoot, deadline: deadline) {
            case .answer(let answer, let note):
                notes.append(note)
                return finish(answer)
            case .left:
                return finish(try leftOnStop())
            case .unusable(let why):
                notes.append(why)  // the simplex below solves the relaxation instead
            }
        }
        // The presolver ignores the basis; otherwise start from a crash basis.
        guard try simplex(basis: options.presolve ? 0 : 2) else { return finish(try leftOnStop()) }
        if ret == GLP_ENODFS {
            // Presolver only says "no dual feasible solution" (unbounded OR
            // infeasible); solve without it to tell which.
            notes.append("Presolver found no dual feasible solution; re-solving without presolve to classify")
            smcp.presolve = GLP_OFF
            guard try simplex(basis: 2) else { return finish(try leftOnStop()) }
        }
        if ret == 0, smcp.meth == GLP_DUALP {
            var status: Int32 = 0
            try check(cglpk_lp_solution(prob, &status, nil, nil, nil, nil))
            // The dual simplex stops without an answer when it finds no dual feasible basis: the model is
            // then unbounded or infeasible, and the primal simplex tells which.
            if ![GLP_OPT, GLP_NOFEAS, GLP_UNBND].contains(status) {
                notes.append("The dual simplex found no dual feasible basis; the primal simplex classifies the model")
                smcp.meth = GLP_PRIMAL
                smcp.presolve = GLP_OFF
                guard try simplex(basis: 2) else { return finish(try leftOnStop()) }
            }
        }
        let lpTimedOut = ret == GLP_ETMLIM
        if ret == GLP_ENOPFS {
            return finish(Solution(status: .infeasible))
        }
        guard ret == 0 || ret == GLP_ETMLIM else {
            throw GLPKError.internalError("glp_simplex failed: \(Problem.returnCodeName(ret)); GLPK environment intact")
        }

        let m = model.rows.count, n = model.columns.count
        var lpStatus: Int32 = 0
        var lpObjective = 0.0
        var lpColumns = [Double](repeating: 0, count: n)
        var lpRows = [Double](repeating: 0, count: m)
        var lpDuals = [Double](repeating: 0, count: m)
        try check(cglpk_lp_solution(prob, &lpStatus, &lpObjective, &lpColumns, &lpRows, &lpDuals))

        switch lpStatus {
        case GLP_OPT: break
        case GLP_NOFEAS: return finish(Solution(status: .infeasible))
        case GLP_UNBND: return finish(Solution(status: .unbounded))
        case GLP_FEAS where !model.isInteger:
            // Simplex stopped by the time limit at a feasible, non-optimal point.
            return finish(Solution(
                status: .feasible, objective: lpObjective, columnValues: lpColumns, rowValues: lpRows,
                stoppedByTimeLimit: lpTimedOut))
        default:
            if lpTimedOut { return finish(try startAfterTimedOutRelaxation(lpDuals)) }
            return finish(Solution(status: .noSolution))
        }
        guard model.isInteger else {
            return finish(Solution(
                status: .optimal, objective: lpObjective, bestBound: lpObjective, gap: 0,
                columnValues: lpColumns, rowValues: lpRows, rowDuals: lpDuals))
        }
        if lpTimedOut { return finish(try startAfterTimedOutRelaxation(lpDuals)) }

        // 2. Branch-and-bound from the optimal relaxation basis. GLPK's MIP
        // presolver is off: it would solve the LP again and hand the callback
        // a transformed problem, where a starting solution no longer fits.
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_ON
        iocp.presolve = GLP_OFF
        iocp.tm_lim = remainingMilliseconds()
        iocp.out_dly = options.displayDelayMilliseconds
        iocp.mip_gap = options.relativeGap
        // Gomory's cuts come from the shim (CGLPK/gomory.c): GLPK's cuts, made where GLPK makes them, faster.
        iocp.gmi_cuts = options.cuts.gomory && options.cuts.gomoryByGLPK ? GLP_ON : GLP_OFF
        iocp.mir_cuts = options.cuts.mixedIntegerRounding ? GLP_ON : GLP_OFF
        iocp.cov_cuts = options.cuts.cover ? GLP_ON : GLP_OFF
        iocp.clq_cuts = options.cuts.clique ? GLP_ON : GLP_OFF
        iocp.fp_heur = options.feasibilityPump ? GLP_ON : GLP_OFF
        iocp.ps_heur = options.proximitySearch ? GLP_ON : GLP_OFF
        switch options.branching {
        case .firstFractional: iocp.br_tech = GLP_BR_FFV
        case .lastFractional: iocp.br_tech = GLP_BR_LFV
        case .mostFractional: iocp.br_tech = GLP_BR_MFV
        case .driebeckTomlin, .driebeckTomlinByGLPK: iocp.br_tech = GLP_BR_DTH
        case .pseudocost: iocp.br_tech = GLP_BR_PCH
        }
        switch options.backtracking {
        case .depthFirst: iocp.bt_tech = GLP_BT_DFS
        case .breadthFirst: iocp.bt_tech = GLP_BT_BFS
        case .bestLocalBound: iocp.bt_tech = GLP_BT_BLB
        case .bestProjection, .bestProjectionAndBound: iocp.bt_tech = GLP_BT_BPH
        }
        if options.proximitySearch, deadline != nil {
            // Proximity search has its own 60 s default budget; keep it inside ours.
            iocp.ps_tm_lim = min(iocp.ps_tm_lim, iocp.tm_lim)
        }

        if let problem = try checkedStart()?.problem { notes.append("Starting solution ignored: \(problem)") }
        let startValues = try startingPlan()

        let context = CallbackContext(options: options, clock: clock, start: start)
        var args = cglpk_intopt_args()
        args.progress_interval = options.progress == nil ? -1 : max(0, options.progressInterval)
        args.poll_every_call = options.shouldStop == nil ? 0 : 1
        args.node_limit = Int32(clamping: max(0, options.nodeLimit ?? 0))
        args.stall_seconds = options.stallSeconds ?? 0
        args.stall_max_gap = options.stallMaxGap ?? 0
        if let soft = options.softTimeLimitSeconds, deadline != nil {
            args.soft_time_limit = max(1e-9, soft - seconds(clock.now - start))  // > 0: passed already is still a limit
        }
        args.driebeck_tomlin = options.branching == .driebeckTomlin ? 1 : 0
        if case .bestProjectionAndBound(let every, let whenStale) = options.backtracking {
            args.best_bound_every = Int32(clamping: max(1, every))
            args.best_bound_when_stale = Int32(clamping: max(0, whenStale ?? 0))
        }
        args.gomory = options.cuts.gomory && !options.cuts.gomoryByGLPK ? 1 : 0
        if deadline != nil {
            args.time_limit = Double(iocp.tm_lim) / 1000
            if options.overrunSeconds.isFinite { args.abandon_after = max(1e-6, options.overrunSeconds) }  // 0 would be never
        }
        if options.cuts.liftedCovers {
            args.cover_root_rounds = Int32(CutOptions.liftedCoverRounds.root)
            args.cover_node_rounds = Int32(CutOptions.liftedCoverRounds.node)
        }
        args.fn = (options.progress == nil && options.shouldStop == nil) ? nil : intoptEvent
        args.ctx = Unmanaged.passUnretained(context).toOpaque()
        if let seat = options.incumbentExchange {
            args.exchange = incumbentExchangeHook
            args.exchange_ctx = Unmanaged.passUnretained(seat).toOpaque()
        }
        let heuristicContext = options.nodeHeuristic.map { NodeHeuristicContext($0, model: model, deadline: deadline) }
        if let heuristicContext {
            args.node_heuristic = nodeHeuristicHook
            args.node_heuristic_ctx = Unmanaged.passUnretained(heuristicContext).toOpaque()
        }
        // Each new incumbent is copied here: the answer if the search has to be left inside GLPK.
        let mayLeave = deadline != nil || options.shouldStop != nil
        var kept = [Double](repeating: 0, count: mayLeave ? n : 0)
        let rc: Int32 = withExtendedLifetime((context, options.incumbentExchange, heuristicContext)) {
            kept.withUnsafeMutableBufferPointer { keptBuffer in
                args.incumbent = mayLeave ? keptBuffer.baseAddress : nil
                defer { args.incumbent = nil }
                if let startValues {
                    return startValues.withUnsafeBufferPointer { buffer in
                        args.start = buffer.baseAddress
                        defer { args.start = nil }
                        return cglpk_intopt(prob, &iocp, &args)
                    }
                }
                return cglpk_intopt(prob, &iocp, &args)
            }
        }
        if rc == CGLPK_ABANDONED {
            // GLPK's environment is gone (and this Problem with it); what the callbacks saw is the answer.
            let onStop = args.left_on_stop != 0
            notes.append(onStop
                ? "Left GLPK when asked to stop, in a node's LP that had not returned (no stop reaches it): the answer is the best plan found by then"
                : String(format: "Left GLPK %g s past the time limit, in a node's LP that had not returned (GLPK sets it no limit): the answer is the best plan found by then", options.overrunSeconds))
            var answer = answerAfterAbandoning(args, kept: args.incumbent_kept != 0 ? kept : nil, lpObjective: lpObjective, lpDuals: lpDuals,
                                               start: try startingPlan())
            answer.stoppedByTimeLimit = !onStop
            return finish(answer)
        }
        try check(rc)
        if startValues != nil {
            switch args.start_result {
            case 0: notes.append("Starting solution accepted as incumbent")
            case 1: notes.append("Starting solution rejected by GLPK (not better than incumbent)")
            default: notes.append("Starting solution not offered (no heuristic callback reached)")
            }
        }

        if args.cheap_branchings > 0 {
            notes.append(String(format: "Branched on the most fractional variable near the time limit: %d times (one pseudocost LP took %.1f ms)",
                                args.cheap_branchings, args.pseudocost_lp_seconds * 1000))
        }
        if args.best_bound_every > 0 {
            notes.append("Backtracked to the best-bound node: \(args.best_bound_choices) times of \(args.backtracks)")
        }
        if args.gomory != 0 {
            gomoryCuts = args.gomory_cuts
            notes.append("Gomory's cuts made by the shim: \(gomoryCuts)")
        }
        if args.cover_rows > 0 {
            notes.append("Lifted cover cuts: \(args.cover_cuts) from \(args.cover_rows) knapsack rows")
        }
        if let seat = options.incumbentExchange {
            notes.append("Plans from \(seat.source) that became the incumbent: \(args.offers_accepted)")
        }
        if let heuristicContext {
            notes.append("Node heuristic: \(heuristicContext.runs) runs, \(args.heuristic_offers) plans offered, \(args.heuristic_accepted) became the incumbent, in \(String(format: "%.2f", heuristicContext.seconds)) s")
        }

        var mipStatus: Int32 = 0
        var mipObjective = 0.0
        var columns = [Double](repeating: 0, count: n)
        var rows = [Double](repeating: 0, count: m)
        try check(cglpk_mip_solution(prob, &mipStatus, &mipObjective, &columns, &rows))
        for (j, column) in model.columns.enumerated() where column.kind != .continuous {
            columns[j] = columns[j].rounded()
        }
        if mipStatus == GLP_OPT || mipStatus == GLP_FEAS {
            // Recompute from the exact integers so objective and row activities
            // match the reported columns (GLPK's carry e.g. 0.9999999 noise).
            mipObjective = model.objectiveValue(columns)
            rows = model.rowActivities(columns)
        }
        let hasSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        let stoppedByTime = args.ret == GLP_ETMLIM || args.soft_stopped != 0

        switch args.ret {
        case 0 where mipStatus == GLP_OPT:
            var solution = Solution(
                status: .optimal, objective: mipObjective, bestBound: mipObjective, gap: 0,
                columnValues: columns, rowValues: rows, rowDuals: lpDuals)
            solution.nodes = Int(args.nodes)
            return finish(solution)
        case 0 where mipStatus == GLP_NOFEAS, GLP_ENOPFS:
            return finish(Solution(status: .infeasible, rowDuals: lpDuals))
        case GLP_ENODFS:
            return finish(Solution(status: .unbounded))
        case 0, GLP_ETMLIM, GLP_EMIPGAP, GLP_ESTOP, GLP_EFAIL:
            guard hasSolution else {
                if args.ret == GLP_EFAIL {
                    throw GLPKError.internalError("glp_intopt failed: \(Problem.returnCodeName(args.ret)); GLPK environment intact")
                }
                // Stopped before GLPK took the starting solution: it is still the answer, bounded by the relaxation.
                if var start = try startingPlan().map({ startAsAnswer($0) }), let objective = start.objective {
                    start.bestBound = model.direction == .minimize ? min(lpObjective, objective) : max(lpObjective, objective)
                    start.gap = abs(objective - start.bestBound!) / (1e-9 + abs(objective))
                    start.stoppedByTimeLimit = stoppedByTime
                    start.rowDuals = lpDuals
                    return finish(start)
                }
                var none = Solution(status: .noSolution, rowDuals: lpDuals, stoppedByTimeLimit: stoppedByTime)
                none.stoppedByNodeLimit = args.node_limit_hit != 0
                none.stoppedByStall = args.stalled != 0
                none.nodes = Int(args.nodes)
                return finish(none)
            }
            let (bound, gap) = treeBound(args, lpObjective: lpObjective, plan: mipObjective)
            var solution = Solution(
                status: .feasible, objective: mipObjective, bestBound: bound, gap: gap,
                columnValues: columns, rowValues: rows, rowDuals: lpDuals, stoppedByTimeLimit: stoppedByTime)
            solution.stoppedByNodeLimit = args.node_limit_hit != 0
            solution.stoppedByStall = args.stalled != 0
            solution.nodes = Int(args.nodes)
            return finish(solution)
        default:
            throw GLPKError.internalError("glp_intopt failed: \(Problem.returnCodeName(args.ret)); GLPK environment intact")
        }
    }

    /// The answer of a search left inside GLPK (`CGLPK_ABANDONED`): its last incumbent, else the starting plan,
    /// bounded by the last bound its callback saw (the relaxation's before any).
    private func answerAfterAbandoning(_ args: cglpk_intopt_args, kept: [Double]?, lpObjective: Double, lpDuals: [Double],
                                       start: [Double]?) -> Solution {
        var answer = Solution(status: .noSolution)
        if var columns = kept {
            for (j, column) in model.columns.enumerated() where column.kind != .continuous { columns[j] = columns[j].rounded() }
            answer = Solution(status: .feasible, objective: model.objectiveValue(columns), columnValues: columns,
                              rowValues: model.rowActivities(columns))
        }
        if let start {
            if answer.status == .feasible {
                answer.takeIfBetter(start, objective: model.objectiveValue(start), of: model)
            } else {
                answer = startAsAnswer(start)
            }
        }
        answer.rowDuals = lpDuals
        answer.nodes = Int(args.nodes)
        if let objective = answer.objective {
            (answer.bestBound, answer.gap) = treeBound(args, lpObjective: lpObjective, plan: objective)
        }
        return answer
    }

    /// The bound a search leaves with a plan of this objective, and their gap: the best node's bound its callback
    /// last saw, or the relaxation's optimum (a valid global bound) if it never saw one; clamped so a stale
    /// node bound cannot be worse than the plan.
    private func treeBound(_ args: cglpk_intopt_args, lpObjective: Double, plan: Double) -> (Double, Double) {
        var bound = args.has_bound != 0 ? args.bound : lpObjective
        bound = model.direction == .minimize ? min(bound, plan) : max(bound, plan)
        return (bound, abs(plan - bound) / (1e-9 + abs(plan)))
    }

    // MARK: - Writing

    /// CPLEX LP format, written to a temporary file beside `path` and renamed.
    /// After `solve()` of an LP (no integer columns) that ended optimal: the optimum of each extension of it
    /// by one row and a few columns, each solved from this LP's basis and then taken away again, so the
    /// next starts from the same basis. A few simplex iterations each where solving anew takes thousands
    /// (`sensitivity`'s value of a free day per area). nil where the extended LP has no optimum.
    public func objectives(of extensions: [LPExtension]) throws -> [Double?] {
        try checkUsable()
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        return try extensions.map { e in
            var ret: Int32 = 0, status: Int32 = 0, objective = 0.0
            let rows = e.columns.map { Int32($0.row + 1) }, uppers = e.columns.map(\.upper)
            try check(cglpk_solve_extended(prob, &smcp, e.rowUpper, Int32(rows.count), rows, uppers, &ret, &status, &objective))
            return ret == 0 && status == GLP_OPT ? objective : nil
        }
    }

    public func writeLP(to path: String) throws {
        try atomicWrite(to: path) { temp, ret in cglpk_write_lp(prob, temp, &ret) }
    }

    /// Free MPS (GLP_MPS_FILE), written to a temporary file beside `path` and renamed.
    public func writeMPS(to path: String) throws {
        try atomicWrite(to: path) { temp, ret in cglpk_write_mps(prob, temp, &ret) }
    }

    private func atomicWrite(to path: String, _ write: (String, inout Int32) -> Int32) throws {
        try checkUsable()
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else { throw GLPKError.writeFailed(path: path, message: "path names a directory") }
        // GLPK compresses when the name ends in ".gz"; keep that for the temp file.
        let suffix = path.hasSuffix(".gz") ? ".gz" : ""
        let temp = "\(directory).\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))\(suffix)"
        cglpk_log_clear()
        var ret: Int32 = 0
        let rc = write(temp, &ret)
        let message = String(cString: cglpk_log()).trimmingTrailingNewlines()
        cglpk_log_clear()
        guard rc == CGLPK_OK, ret == 0 else {
            unlink(temp)
            try check(rc)
            throw GLPKError.writeFailed(path: path, message: message.isEmpty ? "GLPK returned \(ret)" : message)
        }
        if rename(temp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw GLPKError.writeFailed(path: path, message: "rename from temporary file failed: \(reason)")
        }
    }

    // MARK: - Helpers

    /// False once GLPK's environment on this thread was freed (after an internal error, or a search left inside
    /// GLPK past its time limit or on a stop, by this Problem's solve or another's on the same thread): `prob`
    /// is gone.
    var isUsable: Bool { UInt(cglpk_generation()) == generation }

    private func checkUsable() throws {
        // The thread first: generations are counted per thread, so another thread's says nothing of this problem.
        guard pthread_equal(owner, pthread_self()) != 0 else {
            throw GLPKError.invalidModel("Problem used on a different thread than the one that created it (GLPK state is thread-local)")
        }
        guard UInt(cglpk_generation()) == generation else { throw GLPKError.problemInvalidated }
    }

    /// Relaxations of models over this many columns are solved by the dual simplex with the long-step ratio
    /// test: most of an allocation's columns have upper bounds, and the long step passes many of them at once.
    /// Regions of a generated national programme (glpsol, presolved): 11,227 columns 13.7 -> 4.8 s, 18,464
    /// 33.0 -> 13.6 s, 34,689 214 -> 48 s; the plain dual simplex took over 240 s on the last. Smaller models
    /// keep the primal simplex: their relaxation takes a second or less either way, and the vertex it ends at
    /// starts the tree (knowsley-pathways at 4,000 nodes: -83,410 with the primal, -89,390 with the dual).
    static let dualSimplexColumns = 5_000

    enum InteriorRoot {
        /// The better of the rounded relaxation and the starting plan, with the bound of the relaxation's
        /// duals, marked stalled so that the neighbourhood search has the rest of the time; and its log line.
        case answer(Solution, note: String)
        /// A stop (Ctrl-C or the deadline) left the method; GLPK's environment is gone.
        case left
        /// No point good enough to round or to bound by: why, for the log.
        case unusable(String)
    }

    /// How far (relative) the interior point's objective may be from the bound its duals give. GLPK's method
    /// often ends with "numeric instability" a step or two from the optimum, its best point kept; that point
    /// is judged here rather than by its status (national regions: within 1e-5).
    static let interiorTolerance = 1e-3

    /// `SolveOptions.interiorRoot`: the relaxation by GLPK's interior-point method, rounded by `rounding`.
    func interiorRoot(from plan: [Double], options: SolveOptions, rounding: (_ relaxation: [Double], _ deadline: ContinuousClock.Instant?) -> [Double]?,
                      deadline: ContinuousClock.Instant?) throws -> InteriorRoot {
        let clock = ContinuousClock()
        var pollOptions = options
        pollOptions.progress = nil
        let stop = options.shouldStop
        pollOptions.shouldStop = { stop?() == true || deadline.map { ContinuousClock.now >= $0 } == true }
        let began = clock.now
        let poll = CallbackContext(options: pollOptions, clock: clock, start: began)
        var ret: Int32 = 0
        let rc = withExtendedLifetime(poll) { cglpk_interior(prob, &ret, intoptEvent, Unmanaged.passUnretained(poll).toOpaque()) }
        if rc == CGLPK_ABANDONED { return .left }
        try check(rc)
        let interiorSeconds = seconds(began.duration(to: clock.now))
        var status: Int32 = 0
        var values = [Double](repeating: 0, count: model.columns.count)
        var duals = [Double](repeating: 0, count: model.rows.count)
        try check(cglpk_ipt_solution(prob, &status, nil, &values, &duals))
        let objective = model.objectiveValue(values)
        guard values.allSatisfy(\.isFinite), duals.allSatisfy(\.isFinite), objective.isFinite,
              let bound = dualBound(rowMultipliers: duals), abs(bound - objective) <= Problem.interiorTolerance * max(1, abs(bound)) else {
            return .unusable(String(format: "The interior-point method (%.2f s, return code %d, status %d) ended too far from its duals' bound to round; the simplex solves the relaxation instead",
                                    interiorSeconds, ret, status))
        }
        var best = plan, bestObjective = model.objectiveValue(plan), rounded = false
        let roundingBegan = clock.now
        if let candidate = rounding(values, deadline), candidate.count == values.count, model.isIntegralAndFeasible(candidate) {
            let candidateObjective = model.objectiveValue(candidate)
            if model.direction.isBetter(candidateObjective, than: bestObjective) {
                (best, bestObjective, rounded) = (candidate, candidateObjective, true)
            }
        }
        var answer = startAsAnswer(best, rowMultipliers: duals)
        answer.stoppedByTimeLimit = false
        answer.stoppedByStall = true
        answer.treeSkipped = true
        let note = String(format: "Relaxation by the interior-point method in %.2f s (objective %.2f, bound of its duals %.2f); its rounding (%.2f s) %@ (%.2f); no tree: the neighbourhood search has the rest",
                          interiorSeconds, objective, bound, seconds(roundingBegan.duration(to: clock.now)),
                          rounded ? "is the plan" : "is no better than the starting plan", bestObjective)
        return .answer(answer, note: note)
    }

    /// A valid starting plan as the answer when time ran out before the relaxation was solved or the search
    /// took it: feasible, rather than no answer at all. `rowMultipliers` (the unfinished LP's duals) give it a
    /// bound and a gap; see `dualBound`.
    private func startAsAnswer(_ values: [Double], rowMultipliers: [Double]? = nil) -> Solution {
        let objective = model.objectiveValue(values)
        var bound = rowMultipliers.flatMap { dualBound(rowMultipliers: $0) }
        // A bound cannot be worse than a plan in hand.
        bound = bound.map { model.direction == .maximize ? max($0, objective) : min($0, objective) }
        return Solution(status: .feasible, objective: objective, bestBound: bound,
                        gap: bound.map { abs(objective - $0) / (1e-9 + abs(objective)) },
                        columnValues: values, rowValues: model.rowActivities(values), log: "", stoppedByTimeLimit: true)
    }

    /// A bound on the objective from any row multipliers (see `RowRelaxation`); nil when a column with an
    /// infinite bound keeps a reduced cost that points at it.
    func dualBound(rowMultipliers y: [Double]) -> Double? {
        RowRelaxation(model, columnBounds: bounds).bound(rowMultipliers: y)
    }

    static func effectiveBounds(_ column: Column) -> (lower: Double?, upper: Double?) {
        var lower = column.lower, upper = column.upper
        if column.kind == .binary {
            lower = max(lower ?? 0, 0)
            upper = min(upper ?? 1, 1)
        }
        if column.kind != .continuous {
            // glp_intopt rejects fractional bounds on integer columns; round
            // inward, forgiving floating-point noise.
            lower = lower.map { abs($0 - $0.rounded()) <= 1e-9 ? $0.rounded() : $0.rounded(.up) }
            upper = upper.map { abs($0 - $0.rounded()) <= 1e-9 ? $0.rounded() : $0.rounded(.down) }
        }
        return (lower, upper)
    }

    private static func validate(_ model: LinearModel) throws {
        let limit = Int(Int32.max) - 1
        guard model.columns.count <= limit, model.rows.count <= limit, model.coefficients.count <= limit else {
            throw GLPKError.invalidModel("model too large for GLPK (more than \(limit) rows, columns or coefficients)")
        }
        guard model.objectiveConstant.isFinite else {
            throw GLPKError.invalidModel("objective constant is \(model.objectiveConstant)")
        }
        for (j, c) in model.columns.enumerated() {
            let what = "column \(j) '\(c.name)'"
            guard c.objective.isFinite else { throw GLPKError.invalidModel("\(what): objective coefficient is \(c.objective)") }
            try checkBounds(c.lower, c.upper, what)
        }
        for (i, r) in model.rows.enumerated() {
            try checkBounds(r.lower, r.upper, "row \(i) '\(r.name)'")
        }
        for (k, a) in model.coefficients.enumerated() {
            guard model.rows.indices.contains(a.row) else {
                throw GLPKError.invalidModel("coefficient \(k): row index \(a.row) out of range 0..<\(model.rows.count)")
            }
            guard model.columns.indices.contains(a.column) else {
                throw GLPKError.invalidModel("coefficient \(k): column index \(a.column) out of range 0..<\(model.columns.count)")
            }
            guard a.value.isFinite else {
                throw GLPKError.invalidModel(
                    "coefficient \(k) (row \(a.row) '\(model.rows[a.row].name)', column \(a.column) '\(model.columns[a.column].name)') is \(a.value)")
            }
        }
    }

    private static func checkBounds(_ lower: Double?, _ upper: Double?, _ what: String) throws {
        if let l = lower, !l.isFinite { throw GLPKError.invalidModel("\(what): lower bound is \(l) (use nil for unbounded)") }
        if let u = upper, !u.isFinite { throw GLPKError.invalidModel("\(what): upper bound is \(u) (use nil for unbounded)") }
        if let l = lower, let u = upper, l > u { throw GLPKError.invalidModel("\(what): lower bound \(l) > upper bound \(u)") }
    }

    private static func validate(_ options: SolveOptions) throws {
        if let t = options.timeLimitSeconds, t.isNaN || t < 0 {
            throw GLPKError.invalidModel("timeLimitSeconds must be >= 0, got \(t)")
        }
        if let t = options.softTimeLimitSeconds, t.isNaN || t < 0 {
            throw GLPKError.invalidModel("softTimeLimitSeconds must be >= 0, got \(t)")
        }
        guard options.relativeGap.isFinite, options.relativeGap >= 0 else {
            throw GLPKError.invalidModel("relativeGap must be finite and >= 0, got \(options.relativeGap)")
        }
        guard !options.progressInterval.isNaN else { throw GLPKError.invalidModel("progressInterval is NaN") }
    }

    private static func build(_ model: LinearModel, bounds: [(lower: Double?, upper: Double?)]) throws -> OpaquePointer {
        var raw: OpaquePointer? = nil
        try check(cglpk_create(
            &raw, glpkName(model.name), model.direction == .maximize ? GLP_MAX : GLP_MIN, model.objectiveConstant))
        guard let prob = raw else { throw GLPKError.internalError("glp_create_prob returned NULL") }

        let n = model.columns.count
        var names: [CChar] = []
        var kinds = [Int32](), types = [Int32](), lbs = [Double](), ubs = [Double](), objs = [Double]()
        kinds.reserveCapacity(n); types.reserveCapacity(n); lbs.reserveCapacity(n); ubs.reserveCapacity(n); objs.reserveCapacity(n)
        for (j, c) in model.columns.enumerated() {
            appendName(c.name, to: &names)
            kinds.append(c.kind == .continuous ? GLP_CV : GLP_IV)
            let (t, l, u) = boundType(bounds[j].lower, bounds[j].upper)
            types.append(t); lbs.append(l); ubs.append(u)
            objs.append(c.objective)
        }
        try check(cglpk_add_cols(prob, Int32(n), names, kinds, types, lbs, ubs, objs))

        names.removeAll(keepingCapacity: true)
        types.removeAll(); lbs.removeAll(); ubs.removeAll()
        for r in model.rows {
            appendName(r.name, to: &names)
            let (t, l, u) = boundType(r.lower, r.upper)
            types.append(t); lbs.append(l); ubs.append(u)
        }
        try check(cglpk_add_rows(prob, Int32(model.rows.count), names, types, lbs, ubs))

        // GLPK arrays are 1-based; element 0 is ignored.
        let ne = model.coefficients.count
        var ia = [Int32](repeating: 0, count: ne + 1)
        var ja = [Int32](repeating: 0, count: ne + 1)
        var ar = [Double](repeating: 0, count: ne + 1)
        for (k, a) in model.coefficients.enumerated() {
            ia[k + 1] = Int32(a.row + 1)
            ja[k + 1] = Int32(a.column + 1)
            ar[k + 1] = a.value
        }
        try check(cglpk_load_matrix(prob, Int32(ne), ia, ja, ar))
        return prob
    }

    private static func boundType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): return (GLP_FR, 0, 0)
        case (let l?, nil): return (GLP_LO, l, 0)
        case (nil, let u?): return (GLP_UP, 0, u)
        case (let l?, let u?): return (l == u ? GLP_FX : GLP_DB, l, u)
        }
    }

    /// GLPK rejects (via glp_error) names over 255 bytes or with control
    /// characters; sanitize instead of letting that reset the environment.
    static func glpkName(_ name: String) -> String {
        var result = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            let s: Unicode.Scalar = (scalar.value < 0x20 || scalar.value == 0x7f) ? "_" : scalar
            let size = UTF8.width(s)
            if bytes + size > 255 { break }
            bytes += size
            result.unicodeScalars.append(s)
        }
        return result
    }

    private static func appendName(_ name: String, to buffer: inout [CChar]) {
        for byte in glpkName(name).utf8 { buffer.append(CChar(bitPattern: byte)) }
        buffer.append(0)
    }

    static func returnCodeName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            GLP_EBADB: "GLP_EBADB (invalid basis)", GLP_ESING: "GLP_ESING (singular matrix)",
            GLP_ECOND: "GLP_ECOND (ill-conditioned matrix)", GLP_EBOUND: "GLP_EBOUND (invalid bounds)",
            GLP_EFAIL: "GLP_EFAIL (solver failed)", GLP_EOBJLL: "GLP_EOBJLL", GLP_EOBJUL: "GLP_EOBJUL",
            GLP_EITLIM: "GLP_EITLIM (iteration limit)", GLP_ETMLIM: "GLP_ETMLIM (time limit)",
            GLP_ENOPFS: "GLP_ENOPFS (no primal feasible solution)", GLP_ENODFS: "GLP_ENODFS (no dual feasible solution)",
            GLP_EROOT: "GLP_EROOT (root LP optimum not provided)", GLP_ESTOP: "GLP_ESTOP (terminated by application)",
            GLP_EMIPGAP: "GLP_EMIPGAP (gap tolerance reached)", GLP_ENOFEAS: "GLP_ENOFEAS (no feasible solution)",
            GLP_ENOCVG: "GLP_ENOCVG (no convergence)", GLP_EINSTAB: "GLP_EINSTAB (numerical instability)",
            GLP_EDATA: "GLP_EDATA (invalid data)", GLP_ERANGE: "GLP_ERANGE (result out of range)",
        ]
        return names[code] ?? "return code \(code)"
    }
}

/// Maps a shim's return code to a Swift error.
func check(_ rc: Int32) throws {
    switch rc {
    case CGLPK_OK: return
    case CGLPK_ERROR:
        throw GLPKError.internalError(String(cString: cglpk_error_message()))
    case CGLPK_REENTERED:
        throw GLPKError.invalidModel("GLPK was called from inside a solve callback on the same thread; not allowed")
    default:
        throw GLPKError.internalError("unexpected shim return code \(rc)")
    }
}

func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

/// State for the node heuristic's callback, reached through an Unmanaged pointer.
private final class NodeHeuristicContext {
    let heuristic: NodeHeuristic
    let model: LinearModel
    let deadline: ContinuousClock.Instant?
    var calls = 0, runs = 0
    var seconds = 0.0
    init(_ heuristic: NodeHeuristic, model: LinearModel, deadline: ContinuousClock.Instant?) {
        self.heuristic = heuristic
        self.model = model
        self.deadline = deadline
    }
}

/// Called from C at GLP_IHEUR. Must not call GLPK. An offered plan is checked here against every row and
/// bound: GLPK's glp_ios_heur_sol checks only integrality.
private let nodeHeuristicHook: cglpk_node_heuristic_fn = { ctx, n, relaxation, offer in
    guard let ctx, let relaxation, let offer else { return 0 }
    let context = Unmanaged<NodeHeuristicContext>.fromOpaque(ctx).takeUnretainedValue()
    defer { context.calls += 1 }
    guard context.calls % context.heuristic.every == 0 else { return 0 }
    context.runs += 1
    let values = Array(UnsafeBufferPointer(start: relaxation, count: Int(n)))
    let began = ContinuousClock.now
    defer { context.seconds += seconds(began.duration(to: .now)) }
    let heuristic = context.calls == 0 ? context.heuristic.atRoot ?? context.heuristic.plan : context.heuristic.plan
    guard let plan = heuristic(values, context.deadline), plan.count == Int(n), context.model.isIntegralAndFeasible(plan) else { return 0 }
    for j in 0..<Int(n) { offer[j] = plan[j] }
    return 1
}

/// State for the intopt callback, reached through an Unmanaged pointer.
private final class CallbackContext {
    let progress: (@Sendable (SolveProgress) -> Void)?
    let shouldStop: (@Sendable () -> Bool)?
    let clock: ContinuousClock
    let start: ContinuousClock.Instant
    var stopRequested = false

    init(options: SolveOptions, clock: ContinuousClock, start: ContinuousClock.Instant) {
        progress = options.progress
        shouldStop = options.shouldStop
        self.clock = clock
        self.start = start
    }
}

/// Called from C inside glp_intopt. Must not call GLPK itself: an error's
/// longjmp would cross this Swift frame.
private let intoptEvent: cglpk_event_fn = { ctx, event in
    guard let ctx, let event else { return 0 }
    let context = Unmanaged<CallbackContext>.fromOpaque(ctx).takeUnretainedValue()
    let e = event.pointee
    if e.report != 0, let progress = context.progress {
        progress(SolveProgress(
            incumbent: e.has_incumbent != 0 ? e.incumbent : nil,
            bound: e.has_bound != 0 ? e.bound : nil,
            gap: e.has_gap != 0 ? e.gap : nil,
            elapsedSeconds: seconds(context.start.duration(to: context.clock.now))))
    }
    if !context.stopRequested, let shouldStop = context.shouldStop, shouldStop() {
        context.stopRequested = true
    }
    return context.stopRequested ? 1 : 0
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension LinearModel {
    /// A starting solution as GLPK is given it: integer columns rounded when within 1e-6 of a whole number,
    /// and nil with the reason when a column or a row is further than 1e-6 (relative) from its bounds. Used
    /// by `Problem` and, without loading the model, by the check of a model too large for branch-and-bound,
    /// which keeps the rows' activities there (empty when the start does not fit) as the plan's row values.
    func checkedStartingSolution(_ given: [Double]) throws -> (values: [Double]?, activities: [Double], reason: String?) {
        guard given.count == columns.count else {
            throw GLPKError.invalidModel("startingSolution has \(given.count) values for \(columns.count) columns")
        }
        let tolerance = 1e-6
        var values = given
        for (j, column) in columns.enumerated() {
            let v = values[j]
            guard v.isFinite else {
                throw GLPKError.invalidModel("startingSolution value for column \(j) '\(column.name)' is not finite")
            }
            if column.kind != .continuous {
                let r = v.rounded()
                if abs(r - v) > tolerance { return (nil, [], "column \(j) '\(column.name)' = \(v) is not integral") }
                values[j] = r
            }
            let bounds = Problem.effectiveBounds(column)
            if let l = bounds.lower, values[j] < l - tolerance * max(1, abs(l)) {
                return (nil, [], "column \(j) '\(column.name)' = \(v) is below its lower bound \(l)")
            }
            if let u = bounds.upper, values[j] > u + tolerance * max(1, abs(u)) {
                return (nil, [], "column \(j) '\(column.name)' = \(v) is above its upper bound \(u)")
            }
        }
        let activity = rowActivities(values)
        for (i, row) in rows.enumerated() {
            if let l = row.lower, activity[i] < l - tolerance * max(1, abs(l)) {
                return (nil, [], "row \(i) '\(row.name)' activity \(activity[i]) is below \(l)")
            }
            if let u = row.upper, activity[i] > u + tolerance * max(1, abs(u)) {
                return (nil, [], "row \(i) '\(row.name)' activity \(activity[i]) is above \(u)")
            }
        }
        return (values, activity, nil)
    }
}
