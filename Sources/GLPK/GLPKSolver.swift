import CGLPK
import Foundation

public enum GLPKSolver {
    /// Creates, solves and deletes the problem on a dedicated Thread (GLPK's
    /// environment is thread-local and Swift tasks hop threads), blocking the
    /// caller until done. Model files, if requested, are written before solving.
    public static func solve(
        _ model: LinearModel, options: SolveOptions = SolveOptions(), writeLP: String? = nil,
        writeMPS: String? = nil
    ) throws -> Solution {
        // A stalled tree is within its gap, where a soft limit would end it: the search gets the time to that.
        guard let makeSearch = options.stallSearch, options.stallSeconds != nil,
              let limit = options.softTimeLimitSeconds ?? options.timeLimitSeconds else {
            return try solveTree(model, options: options, writeLP: writeLP, writeMPS: writeMPS)
        }
        let began = ContinuousClock.now
        var tree = options
        tree.stallSearch = nil
        var solution = try solveTree(model, options: tree, writeLP: writeLP, writeMPS: writeMPS)
        let left = limit - seconds(began.duration(to: .now))
        guard solution.stoppedByStall, solution.status == .feasible, left >= 1, options.shouldStop?() != true else { return solution }
        // The search knows no bound and counts from its own start: progress keeps the tree's bound and the solve's clock.
        let treeBound = solution.bestBound
        let report = options.progress.map { report in
            { @Sendable (found: SolveProgress) in
                var line = found
                line.bound = treeBound
                if let incumbent = found.incumbent, let treeBound { line.gap = abs(incumbent - treeBound) / (1e-9 + abs(incumbent)) }
                line.elapsedSeconds = seconds(began.duration(to: .now))
                report(line)
            }
        }
        let searched = try improve(model, from: solution.columnValues, by: makeSearch(), seconds: left, progress: report,
                                   shouldStop: options.shouldStop)
        solution.log += (solution.treeSkipped ? String(format: "The neighbourhood search had the remaining %.1f s.\n", left)
            : String(format: "No better plan for %g s: branch-and-bound stopped and the neighbourhood search had the remaining %.1f s.\n",
                     options.stallSeconds ?? 0, left)) + searched.log
        if let objective = searched.objective {
            solution.takeIfBetter(searched.columnValues, objective: objective, rowValues: searched.rowValues, of: model)
        }
        solution.seconds += searched.seconds
        // The search ran to the limit unless Ctrl-C stopped it, which the caller reports as such.
        solution.stoppedByTimeLimit = options.shouldStop?() != true
        return solution
    }

    /// `solve` without the hand-over of a stalled tree.
    private static func solveTree(_ model: LinearModel, options: SolveOptions, writeLP: String?, writeMPS: String?) throws -> Solution {
        if let largest = options.largestSearchedColumns, model.columns.count > largest, let given = options.startingSolution {
            // The check GLPK's own start gets (Problem), without loading a model this large into GLPK.
            let (start, activities, reason) = try model.checkedStartingSolution(given)
            if let start, writeLP == nil, writeMPS == nil {
                return try keep(start, activities: activities, of: model, largest: largest, options: options)
            }
            let misfit = reason.map { "the starting plan does not fit it (\($0))" } ?? "model files were asked for"
            // Say why a model this large is searched after all: its LP can take the whole time limit.
            var solution = try solveSearched(model, options: options, writeLP: writeLP, writeMPS: writeMPS)
            solution.log = "Searched although over \(largest) columns: \(misfit).\n" + solution.log
            return solution
        }
        return try solveSearched(model, options: options, writeLP: writeLP, writeMPS: writeMPS)
    }

    /// The plan of a model too large for branch-and-bound: `start` as it is, or improved by the neighbourhood
    /// search under a time limit.
    private static func keep(_ start: [Double], activities: [Double], of model: LinearModel, largest: Int, options: SolveOptions) throws -> Solution {
        func startKept(log: String) -> Solution {
            Solution(status: .feasible, objective: model.objectiveValue(start), columnValues: start, rowValues: activities, log: log)
        }
        guard let search = options.largeModelSearch, var limit = options.timeLimitSeconds, model.isInteger else {
            return startKept(log: notSearched(columns: model.columns.count, largest: largest))
        }
        var start = start, rootLog = "", rootBound: Double? = nil, rootSeconds = 0.0
        // Its relaxation by the interior-point method, rounded, may start the search better than the heuristic.
        let interiorRoot = options.interiorRoot && model.columns.count <= largestInteriorRootColumns
        if interiorRoot, !takesInteriorRoot(columns: model.columns.count, seconds: limit) {
            rootLog = String(format: "No relaxation by the interior-point method: it would take about %.0f s, more than the %.1f s there are; the neighbourhood search has them\n",
                             interiorSecondsEstimate(columns: model.columns.count), limit)
        } else if interiorRoot, let atRoot = options.nodeHeuristic?.atRoot {
            let began = ContinuousClock.now, plan = start, deadline = began + .milliseconds(Int64(limit * 1000))
            let outcome = try onDedicatedThread {
                try Problem(model).interiorRoot(from: plan, options: options, rounding: atRoot, deadline: deadline)
            }
            switch outcome {
            case .answer(let answer, let note):
                start = answer.columnValues
                rootBound = answer.bestBound
                rootLog = note + "\n"
            case .left:
                return startKept(log: "Left the interior-point method at a stop or the time limit: the starting plan is kept.\n")
            case .unusable(let why):
                rootLog = why + "\n"
            }
            rootSeconds = seconds(began.duration(to: .now))
            limit -= rootSeconds
        }
        var solution = try improve(model, from: start, by: search, seconds: max(0.001, limit), progress: options.progress, shouldStop: options.shouldStop,
                                   help: options.searchHelp)
        solution.log = "Not searched by branch-and-bound: \(model.columns.count) columns, more than the \(largest) that GLPK's LP relaxation takes in reasonable time.\n" + rootLog + solution.log
        solution.seconds += rootSeconds
        // The relaxation's duals bound the block as its LP does (a region's bound counts where it beats its
        // share of the allocation's priced bound).
        // A bound cannot be worse than the plan in hand: the point's duals are exact only to the method's accuracy.
        if let bound = rootBound, let objective = solution.objective {
            solution.keepTightestBound(of: [model.direction == .maximize ? max(bound, objective) : min(bound, objective)], direction: model.direction)
        }
        return solution
    }

    /// The most columns a model too large for branch-and-bound may have for its relaxation by the interior-point
    /// method (`SolveOptions.interiorRoot`): a national programme's block of 534,227 took 86 s and 1.9 GB.
    static let largestInteriorRootColumns = 600_000

    /// About how long the interior-point method takes on a block of `columns` columns, on this machine's
    /// cores: 5,000 x 700's block of 107,255 columns 9.2 s, the national's 534,227 87 s, so about
    /// 9.2 s x (columns / 107,255)^1.4. A block with less time skips the method, which would be left
    /// unfinished: the national on one core at 120 s gave its block 7 s, and the method cost 1.6 GB of memory
    /// and the regions' last 7 s for nothing.
    static func interiorSecondsEstimate(columns: Int) -> Double { 9.2 * pow(Double(columns) / 107_255, 1.4) }

    /// True when a block too large for the tree, of `columns` columns and given `seconds`, takes its relaxation
    /// from the interior-point method (where `SolveOptions.interiorRoot` asks for it).
    public static func takesInteriorRoot(columns: Int, seconds: Double) -> Bool {
        columns <= largestInteriorRootColumns && seconds >= interiorSecondsEstimate(columns: columns)
    }

    /// The log of a model kept as its start, too large for branch-and-bound.
    static func notSearched(columns: Int, largest: Int) -> String {
        "Not searched: \(columns) columns, more than the \(largest) that GLPK's LP relaxation takes in reasonable time; the starting plan is kept.\n"
    }

    /// `start` (a feasible plan of `model`) improved by the neighbourhood search for `seconds`, on a thread
    /// of its own. The answer has no bound: it is a plan, not a proof.
    public static func improve(_ model: LinearModel, from start: [Double], by search: NeighbourhoodSearch, seconds limit: Double,
                               progress: (@Sendable (SolveProgress) -> Void)? = nil, shouldStop: (@Sendable () -> Bool)? = nil,
                               help: SearchHelp? = nil) throws -> Solution {
        let began = ContinuousClock.now
        let deadline = began + .milliseconds(Int64(limit * 1000))
        let outcome = try onDedicatedThread {
            try search.improve(model, start: start, deadline: deadline, progress: progress, shouldStop: shouldStop, help: help)
        }
        var solution = Solution(status: .feasible, objective: model.objectiveValue(outcome.values), columnValues: outcome.values,
                                rowValues: model.rowActivities(outcome.values), log: outcome.log)
        solution.seconds = seconds(began.duration(to: .now))
        solution.stoppedByTimeLimit = true
        return solution
    }

    private static func solveSearched(_ model: LinearModel, options: SolveOptions, writeLP: String?, writeMPS: String?) throws -> Solution {
        if let second = options.alongside, model.isInteger {
            if let firstNodes = options.alongsideInTurnAfterNodes {
                return try solveWithSettingsInTurn(model, options: options, second: second, firstNodes: firstNodes,
                                                   writeLP: writeLP, writeMPS: writeMPS)
            }
            return try solveWithTwoSettings(model, options: options, second: second, writeLP: writeLP, writeMPS: writeMPS)
        }
        return try onDedicatedThread {
            let problem = try Problem(model)
            if let path = writeLP { try problem.writeLP(to: path) }
            if let path = writeMPS { try problem.writeMPS(to: path) }
            guard let search = options.neighbourhoodSearch, let start = options.startingSolution,
                  model.isInteger, model.isIntegralAndFeasible(start) else { return try problem.solve(options) }
            if search.concurrent { return try solveBesideSearch(problem, model, search: search, start: start, options: options) }
            let began = ContinuousClock.now
            // Branch-and-bound first, briefly: what it proves at once needs no search (gap1-gap12 mostly).
            var probe = options
            probe.nodeLimit = min(options.nodeLimit ?? Int.max, search.probeNodes)
            let first = try problem.solve(probe)
            let nodesLeft = options.nodeLimit.map { $0 - first.nodes }
            if first.status != .feasible || !first.stoppedByNodeLimit || nodesLeft.map({ $0 <= 0 }) == true { return first }
            // Then the search, from the better plan, within its share of the time left; then branch-and-bound again.
            let incumbent = first.columnValues.count == start.count ? first.columnValues : start
            var elapsed = seconds(began.duration(to: .now))
            let searchDeadline = options.timeLimitSeconds.flatMap { limit in
                limit < 1e9 ? ContinuousClock.now + .milliseconds(Int64(max(0, limit - elapsed) * search.timeShare * 1000)) : nil
            }
            let outcome = try search.improve(model, start: incumbent, deadline: searchDeadline, progress: options.progress,
                                             shouldStop: options.shouldStop)
            elapsed = seconds(began.duration(to: .now))
            var rest = options
            rest.startingSolution = outcome.values
            rest.nodeLimit = nodesLeft
            if let limit = options.timeLimitSeconds { rest.timeLimitSeconds = max(0.001, limit - elapsed) }
            // A round the search had to leave inside GLPK (past its limit) freed this thread's environment, and
            // `problem` with it.
            var solution = try (problem.isUsable ? problem : Problem(model)).solve(rest)
            // The probe's bound holds too.
            solution.keepTightestBound(of: [solution.bestBound, first.bestBound], direction: model.direction)
            solution.log = first.log + outcome.log + solution.log
            solution.seconds = seconds(began.duration(to: .now))
            solution.nodes += first.nodes
            return solution
        }
    }

    /// The portfolio of `SolveOptions.alongside`: both runs on threads of their own, the second stopped
    /// as soon as the first proves optimality.
    private static func solveWithTwoSettings(_ model: LinearModel, options: SolveOptions, second settings: SearchSettings,
                                             writeLP: String?, writeMPS: String?) throws -> Solution {
        var first = options
        first.alongside = nil
        var second = first
        second.searchSettings = settings
        // Under a time limit the answer depends on the machine anyway, so the two trees trade plans: each
        // prunes with the better plan, and a stall is counted from the best plan either has found. Under a
        // node limit alone they stay apart, so that the answer is the same on every run.
        if let limit = options.timeLimitSeconds, limit < 1e9, options.incumbentExchange == nil {
            let exchange = IncumbentExchange(model: model, start: nil)
            first.incumbentExchange = exchange.seat(0, offering: "the other settings' tree")
            second.incumbentExchange = exchange.seat(1, offering: "the other settings' tree")
        }
        second.progress = nil  // one progress line, from the first run
        let firstProved = StopFlag()
        let userStop = options.shouldStop
        second.shouldStop = { firstProved.isSet || userStop?() == true }
        let secondDone = DispatchSemaphore(value: 0)
        let secondResult = SolutionBox()
        let secondOptions = second
        let thread = Thread {
            secondResult.value = Result {
                let problem = try Problem(model)
                return try problem.solve(secondOptions)
            }
            cglpk_thread_cleanup()
            secondDone.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        let firstResult = Result { try solve(model, options: first, writeLP: writeLP, writeMPS: writeMPS) }
        if case .success(let s) = firstResult, s.status == .optimal || s.status == .infeasible || s.status == .unbounded { firstProved.set() }
        secondDone.wait()
        var a = try firstResult.get()
        if firstProved.isSet { a.log += "(The second settings' run was stopped: the first proved the answer.)\n"; return a }
        guard case .success(let b) = secondResult.value else { return a }
        let useSecond: Bool
        switch (a.status, b.status) {
        case (_, .optimal), (_, .infeasible), (_, .unbounded): useSecond = true
        case (.noSolution, .feasible): useSecond = true
        case (.feasible, .feasible): useSecond = model.direction.isBetter(b.objective ?? 0, than: a.objective ?? 0)
        default: useSecond = false
        }
        var chosen = useSecond ? b : a
        chosen.keepTightestBound(of: [a.bestBound, b.bestBound], direction: model.direction)
        chosen.log = "--- first settings: \(a.status.rawValue), \(a.nodes) nodes, \(String(format: "%.2f", a.seconds)) s\n" + a.log
            + "--- second settings: \(b.status.rawValue), \(b.nodes) nodes, \(String(format: "%.2f", b.seconds)) s\n" + b.log
            + "Answer from the \(useSecond ? "second" : "first") settings.\n"
        chosen.seconds = max(a.seconds, b.seconds)
        // The chosen run's own count, as the node limit counts it; the log has both.
        chosen.nodes = useSecond ? b.nodes : a.nodes
        chosen.stoppedByNodeLimit = chosen.status == .feasible && (a.stoppedByNodeLimit || b.stoppedByNodeLimit)
        // Time is left over only when neither run went on to the limit; when either did, the solve did.
        chosen.stoppedByStall = chosen.status == .feasible && a.stoppedByStall && b.stoppedByStall
        chosen.stoppedByTimeLimit = chosen.status == .feasible && (a.stoppedByTimeLimit || b.stoppedByTimeLimit)
        return chosen
    }

    /// `SolveOptions.alongsideInTurnAfterNodes`: the first settings briefly, then the second from the best plan.
    /// Small models the first settings prove at once (aspire-hub in 413 nodes); on the hard ones the second
    /// find the better plans (knowsley-pathways), so one core gets both.
    private static func solveWithSettingsInTurn(_ model: LinearModel, options: SolveOptions, second settings: SearchSettings,
                                                firstNodes: Int, writeLP: String?, writeMPS: String?) throws -> Solution {
        var firstOptions = options
        firstOptions.alongside = nil
        firstOptions.alongsideInTurnAfterNodes = nil
        // A node limit of 0 means none.
        let nodeLimit = options.nodeLimit.flatMap { $0 > 0 ? $0 : nil }
        firstOptions.nodeLimit = min(nodeLimit ?? Int.max, firstNodes)
        if let limit = options.timeLimitSeconds { firstOptions.timeLimitSeconds = limit / 2 }
        let began = ContinuousClock.now
        let a = try solve(model, options: firstOptions, writeLP: writeLP, writeMPS: writeMPS)
        let nodesLeft = nodeLimit.map { $0 - a.nodes }
        let elapsed = seconds(began.duration(to: .now))
        let timeLeft = options.timeLimitSeconds.map { $0 - elapsed }
        if a.status != .feasible && a.status != .noSolution || nodesLeft.map({ $0 <= 0 }) == true || timeLeft.map({ $0 <= 0.01 }) == true
            || options.shouldStop?() == true {
            return a
        }
        var secondOptions = firstOptions
        secondOptions.searchSettings = settings
        secondOptions.nodeLimit = nodesLeft
        secondOptions.timeLimitSeconds = timeLeft
        if a.status == .feasible, a.columnValues.count == model.columns.count { secondOptions.startingSolution = a.columnValues }
        let b = try solve(model, options: secondOptions)
        // The second run starts from the first's plan, so its plan is never worse; both bounds hold.
        var chosen = b.status == .noSolution && a.status == .feasible ? a : b
        chosen.keepTightestBound(of: [a.bestBound, b.bestBound], direction: model.direction)
        chosen.log = "--- first settings: \(a.status.rawValue), \(a.nodes) nodes\n" + a.log
            + "--- second settings, from the first's best plan: \(b.status.rawValue), \(b.nodes) nodes\n" + b.log
        chosen.nodes = a.nodes + b.nodes
        chosen.stoppedByNodeLimit = b.stoppedByNodeLimit
        chosen.stoppedByStall = b.stoppedByStall
        chosen.seconds = seconds(began.duration(to: .now))
        return chosen
    }

    /// Waits for `semaphore` until `instant`; false when it was not signalled by then.
    private static func wait(_ semaphore: DispatchSemaphore, until instant: ContinuousClock.Instant) -> Bool {
        let left = max(0, seconds(ContinuousClock.now.duration(to: instant)))
        return semaphore.wait(timeout: .now() + .milliseconds(Int(left * 1000))) == .success
    }

    /// Branch-and-bound on this thread and the neighbourhood search on a second one (its own GLPK
    /// environment), trading plans through an `IncumbentExchange` until the tree is done.
    private static func solveBesideSearch(_ problem: Problem, _ model: LinearModel, search: NeighbourhoodSearch, start: [Double],
                                          options: SolveOptions) throws -> Solution {
        let exchange = IncumbentExchange(model: model, start: start)
        let treeDone = StopFlag()
        let searchDone = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        let userStop = options.shouldStop
        let deadline = options.timeLimitSeconds.flatMap { $0 < 1e9 ? ContinuousClock.now + .milliseconds(Int64($0 * 1000)) : nil }
        let thread = Thread {
            outcome.value = Result {
                try search.improve(model, start: start, deadline: deadline, progress: nil,
                                   shouldStop: { treeDone.isSet || userStop?() == true }, exchange: exchange)
            }
            cglpk_thread_cleanup()
            searchDone.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        var tree = options
        tree.incumbentExchange = exchange.seat(IncumbentExchange.treeSeat, offering: "the neighbourhood search")
        let result = Result { try problem.solve(tree) }
        treeDone.set()
        let overrun = options.overrunSeconds
        let searchEnded: Bool
        if let deadline {
            searchEnded = wait(searchDone, until: deadline + .milliseconds(Int64(overrun * 1000)))
        } else {
            searchDone.wait()
            searchEnded = true
        }
        // A search that has not ended is in a round's MIP stuck inside GLPK's simplex, where no stop reaches it
        // (seen once on gapd-5, 5 December: over 12 minutes in a 60-second solve). The round's own solve leaves
        // GLPK once it is past its limit and the LP prints (Problem.solve, CGLPK_ABANDONED); this is the backstop
        // for a stall that prints nothing. Its plans are already in the exchange; the thread is left to end on
        // its own, and the solve answers now.
        let searchLog = searchEnded ? ((try? outcome.value?.get())?.log ?? "") : String(format: "The neighbourhood search did not stop within %g s of the time limit (a round's MIP was still in GLPK): its best plan so far is kept, and it was left to end on its own.\n", overrun)
        var solution = try result.get()
        solution.log = searchLog + solution.log
        // The search may have found a better plan after the tree's last heuristic call.
        let best = exchange.current()
        if solution.takeIfBetter(best.values, objective: best.objective, of: model) {
            solution.log += "The neighbourhood search's last plan is better than the tree's: kept\n"
        }
        return solution
    }

    /// Solves an LP, then each extension of it from its optimal basis (`Problem.objectives(of:)`); the
    /// extensions' optima are nil when the LP itself has none.
    public static func solve(_ model: LinearModel, thenExtensions extensions: [LPExtension]) throws -> (Solution, [Double?]) {
        try onDedicatedThread {
            let problem = try Problem(model)
            let solution = try problem.solve()
            let objectives = solution.status == .optimal ? try problem.objectives(of: extensions) : extensions.map { _ in nil }
            return (solution, objectives)
        }
    }

    /// Writes the model without solving it (e.g. to inspect a model known to be infeasible).
    public static func write(_ model: LinearModel, lp: String? = nil, mps: String? = nil) throws {
        try onDedicatedThread {
            let problem = try Problem(model)
            if let path = lp { try problem.writeLP(to: path) }
            if let path = mps { try problem.writeMPS(to: path) }
        }
    }

    /// glp_version(), e.g. "5.0".
    public static var version: String { cachedVersion }

    private static let cachedVersion: String = {
        // A throwaway thread, so no caller thread keeps a GLPK environment alive.
        (try? onDedicatedThread {
            var buffer = [CChar](repeating: 0, count: 64)
            cglpk_version(&buffer, buffer.count)
            return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }) ?? "unknown"
    }()

    /// Runs `body` on a fresh thread with its own GLPK environment, freed afterwards.
    static func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // `body` drops its Problem before the cleanup below runs.
            box.result = Result { try body() }
            // GLPK never frees a thread's environment by itself.
            cglpk_thread_cleanup()
            done.signal()
        }
        thread.stackSize = 16 << 20  // GLPK is C code with large frames; be generous
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}

extension Solution {
    /// Takes `values`, a feasible plan of `model` with this objective, as the answer when this solution is a
    /// plan not proven optimal and `values` is better; the bound stays, the gap follows. True when taken.
    @discardableResult
    mutating func takeIfBetter(_ values: [Double], objective candidate: Double, rowValues: [Double]? = nil, of model: LinearModel) -> Bool {
        guard status == .feasible, let objective, model.direction.isBetter(candidate, than: objective) else { return false }
        self.objective = candidate
        columnValues = values
        self.rowValues = rowValues ?? model.rowActivities(values)
        if let bound = bestBound { gap = abs(candidate - bound) / (1e-9 + abs(candidate)) }
        return true
    }

    /// Keeps the tightest of these bounds, every one valid for this solution's model, and the gap it gives
    /// (a plan not proven optimal only).
    public mutating func keepTightestBound(of bounds: [Double?], direction: OptimizationDirection) {
        let sign: Double = direction == .minimize ? 1 : -1
        guard status == .feasible, let objective, let bound = bounds.compactMap({ $0 }).min(by: { sign * ($0 - $1) > 0 }) else { return }
        bestBound = bound
        gap = abs(objective - bound) / (1e-9 + abs(objective))
    }
}

/// Test support: reads a free MPS file back with glp_read_mps (on a fresh
/// thread) and returns its size, to check that written files are well formed.
func readMPSSize(path: String) throws -> (rows: Int, columns: Int, nonzeros: Int) {
    try GLPKSolver.onDedicatedThread {
        var ret: Int32 = 0, rows: Int32 = 0, columns: Int32 = 0, nonzeros: Int32 = 0
        try check(cglpk_read_mps_size(path, &ret, &rows, &columns, &nonzeros))
        guard ret == 0 else {
            throw GLPKError.writeFailed(path: path, message: "glp_read_mps failed: " + String(cString: cglpk_log()))
        }
        return (Int(rows), Int(columns), Int(nonzeros))
    }
}

/// Hands a result from the solver thread to the waiting caller; the semaphore
/// orders the write before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// A flag raised on one thread and read on others.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    func set() { lock.lock(); raised = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

private final class OutcomeBox: @unchecked Sendable {
    var value: Result<NeighbourhoodSearch.Outcome, Error>?
}

private final class SolutionBox: @unchecked Sendable {
    var value: Result<Solution, Error>?
}
