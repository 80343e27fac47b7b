import CGLPK
import Foundation

/// Large-neighbourhood search around a feasible integer solution, before branch-and-bound.
///
/// GLPK's tree is good at proving but poor at finding better plans on assignment models: its incumbent
/// often stays where the starting heuristic left it. Each round here frees the columns of a few related
/// groups (an adviser's pairings, an agent's jobs), fixes every other integer column at the incumbent,
/// and solves the small MIP that remains exactly (or up to a node limit). A better answer becomes the new
/// incumbent; the neighbourhood grows while rounds are solved to the end and shrinks when they are not.
/// Rounds are limited by count and nodes (the same answer on every machine) and, under a time limit, by time.
public struct NeighbourhoodSearch: Sendable {
    /// Ways of grouping columns to free together, e.g. by adviser and by school; rounds take them in turn.
    /// Columns in no chosen group stay fixed, except continuous columns, which are freed with any integer
    /// column they share a row with.
    public var groupings: [[[Int]]]
    public var rounds: Int
    /// Branch-and-bound nodes allowed in one round's MIP.
    public var nodeLimitPerRound: Int
    /// Groups freed in the first round (grown and shrunk as rounds go).
    public var initialGroups: Int
    /// Upper limit on the integer columns one round may free (keeps every round's MIP small).
    public var maximumFreeColumns: Int
    /// Share of the solve's time limit the search may use; branch-and-bound gets the rest.
    public var timeShare: Double
    /// Rounds in a row without a better plan after which the search gives up.
    public var patience: Int
    /// Branch-and-bound nodes tried before the search: a model proven within them needs no search.
    public var probeNodes: Int
    /// Run the search on a second thread beside branch-and-bound, trading plans with the tree, instead of
    /// before it. Uses a second core and costs the tree nothing, but which plan the tree sees when depends
    /// on timing: under a node limit two runs may differ (a proven optimum's value never does).
    public var concurrent = false
    /// Search settings of each round's MIP; nil for GLPK's defaults with best-projection backtracking.
    public var roundSettings: SearchSettings? = nil
    /// The caller's own heuristic (a problem-specific local search, many small steps where the rounds take
    /// few large ones), run on the search's thread before the first round and again, from the best plan and
    /// with a new seed, whenever the rounds stop finding better plans beside a running tree. Each plan it
    /// passes to `found` is kept (and handed to the tree) when it is integral, feasible and better.
    public var warmUp: WarmUp? = nil
    public typealias WarmUp = @Sendable (_ start: [Double], _ seed: UInt64, _ deadline: ContinuousClock.Instant?,
                                         _ shouldStop: @escaping @Sendable () -> Bool, _ found: ([Double]) -> Void) -> Void
    /// Share of the time left that each warm-up run may use under a time limit.
    public var warmUpTimeShare: Double = 0.5
    /// A round across the whole model, taken now and then between the others; nil: none.
    public var wideRound: WideRound? = nil
    public var seed: UInt64

    /// A round that frees, across the whole model, the columns of every gate the plan has open (an entry's
    /// `columns` when its `gate` column is at 1), with every other integer column held. The usual rounds free
    /// a few groups at a time, so they cannot move work along a chain longer than those groups span; with the
    /// gates held, what is left is often a transportation problem that the LP relaxation solves whole.
    public struct WideRound: Sendable {
        public struct Gate: Sendable {
            public var gate: Int
            public var columns: [Int]
            /// Whose gate it is (an adviser, say): guided rounds free the gates of a few owners at a time.
            public var owner: Int
            public init(gate: Int, columns: [Int], owner: Int = 0) { self.gate = gate; self.columns = columns; self.owner = owner }
        }
        public var gates: [Gate]
        /// Gate columns a relaxation opens (the priced bound's choice of pairings, say). Guided rounds take the
        /// gates of `guidedOwners` owners that share rows, starting from one whose gates the plan and the guide
        /// disagree on, and free the gates they disagree on with the columns of every gate open in either: the
        /// pairings the relaxation would change, and the days around them. Empty: no guided rounds.
        public var guide: [Int] = []
        public var guidedOwners: Int = 30
        /// Under a deadline, the share of the search's time guided rounds may take (as `timeShare`).
        public var guidedTimeShare: Double = 0.3
        /// Without a deadline, usual rounds between guided ones.
        public var guidedEveryRounds: Int = 20
        /// Under a deadline, the share of the search's time wide rounds may take: after one that took s
        /// seconds, the next waits until the usual rounds have had s * (1 / share - 1).
        public var timeShare: Double = 0.1
        /// Without a deadline, usual rounds between wide ones (the same answer on every machine).
        public var everyRounds: Int = 1_000
        /// Search settings of the wide round's MIP (nil: the usual rounds').
        public var settings: SearchSettings? = nil
        public init(gates: [Gate]) { self.gates = gates }
    }

    public init(groupings: [[[Int]]], rounds: Int = 60, nodeLimitPerRound: Int = 200, initialGroups: Int = 3,
                maximumFreeColumns: Int = 1_500, timeShare: Double = 0.5, patience: Int = 20, probeNodes: Int = 1000, seed: UInt64 = 1) {
        self.groupings = groupings.map { $0.filter { !$0.isEmpty } }.filter { $0.count >= 2 }; self.rounds = rounds; self.nodeLimitPerRound = nodeLimitPerRound
        self.initialGroups = initialGroups; self.maximumFreeColumns = maximumFreeColumns
        self.timeShare = timeShare; self.patience = patience; self.probeNodes = probeNodes; self.seed = seed
    }

    /// The same search for a block of a larger model: groups keep only the block's columns, renumbered.
    func restricted(to columns: [Int], totalColumns: Int) -> NeighbourhoodSearch {
        var local = [Int](repeating: -1, count: totalColumns)
        for (k, j) in columns.enumerated() { local[j] = k }
        func inBlock(_ group: [Int]) -> [Int] { group.compactMap { local[$0] >= 0 ? local[$0] : nil } }
        var copy = self
        copy.groupings = groupings.map { $0.map(inBlock).filter { !$0.isEmpty } }.filter { $0.count >= 2 }
        copy.wideRound?.gates = (wideRound?.gates ?? []).compactMap { entry in
            local[entry.gate] < 0 ? nil : WideRound.Gate(gate: local[entry.gate], columns: inBlock(entry.columns), owner: entry.owner)
        }
        copy.wideRound?.guide = inBlock(wideRound?.guide ?? [])
        return copy
    }

    struct Outcome: Sendable {
        var values: [Double]
        var log: String
        /// A round covered the whole model and solved it exactly.
        var provenOptimal = false
    }

    /// Improves `start` (feasible, integral) on the calling thread, which must be a GLPK solver thread.
    /// With `exchange`, each round starts from the best plan either side knows, and better plans are shared.
    /// With `help` and a deadline (and neither `exchange` nor `warmUp`), a worker with nothing else to do may
    /// join with rounds of its own (`SearchHelp`).
    func improve(_ model: LinearModel, start: [Double], deadline: ContinuousClock.Instant?,
                 progress: (@Sendable (SolveProgress) -> Void)?, shouldStop: (@Sendable () -> Bool)?,
                 exchange: IncumbentExchange? = nil, help: SearchHelp? = nil) throws -> Outcome {
        defer { help?.finish() }
        let clock = ContinuousClock()
        let began = clock.now
        guard !groupings.isEmpty else { return Outcome(values: start, log: "") }
        let index = SparseIndex(model)
        var values = start
        var objective = model.objectiveValue(values)
        let first = objective
        var random = Xorshift(seed: seed)
        var improved = 0, proven = 0, done = 0, sinceImprovement = 0
        var settled = false
        var seenVersion = -1
        let integerColumns = model.columns.filter { $0.kind != .continuous }.count
        var usual = UsualNeighbourhoods(groupings, index: index, rows: model.rows.count, initial: initialGroups,
                                        maximumFreeColumns: maximumFreeColumns)
        let session = deadline.flatMap { deadline in
            help != nil && exchange == nil && warmUp == nil
                ? HelpSession(search: self, model: model, index: index, usual: usual, deadline: deadline, shouldStop: shouldStop) : nil
        }
        if let session { help?.offer(session) }
        var warmUps = 0, warmUpImproved = 0, warmUpSeconds = 0.0
        // Wide rounds: the plan moved since the last one, and what they did.
        var movedSinceWide = true, wideTally = RoundTally(now: clock.now)
        // Guided rounds: each owner's gates, the owners as groups that share rows, and what the rounds gave.
        // Looked up for every gate of every guided round: an array, not a set.
        var guideOpens = [Bool](repeating: false, count: wideRound?.guide.isEmpty == false ? model.columns.count : 0)
        for j in wideRound?.guide ?? [] { guideOpens[j] = true }
        let gates = wideRound?.gates ?? []
        let ownerIDs = guideOpens.isEmpty ? [] : Array(Set(gates.map(\.owner))).sorted()
        var gatesOfOwner = [[Int]](repeating: [], count: ownerIDs.count)
        if !ownerIDs.isEmpty {
            let ownerIndex = Dictionary(uniqueKeysWithValues: ownerIDs.enumerated().map { ($1, $0) })
            for (g, entry) in gates.enumerated() { gatesOfOwner[ownerIndex[entry.owner]!].append(g) }
        }
        let owners = ownerIDs.count < 2 ? nil : Grouping(gatesOfOwner.map { $0.flatMap { [gates[$0].gate] + gates[$0].columns } },
                                                           index: index, rows: model.rows.count, initial: 2)
        var guidedTally = RoundTally(now: clock.now), guideSettled = false
        var lastWarmUpImproved = false
        func runWarmUp(_ warmUp: WarmUp) {
            let startedAt = clock.now
            let warmDeadline = deadline.map { startedAt + startedAt.duration(to: $0) * warmUpTimeShare }
            lastWarmUpImproved = false
            warmUp(values, seed &+ UInt64(warmUps), warmDeadline, { shouldStop?() == true }) { plan in
                let planObjective = model.objectiveValue(plan)
                guard model.direction.isBetter(planObjective, than: objective), model.isIntegralAndFeasible(plan) else { return }
                values = plan
                objective = planObjective
                lastWarmUpImproved = true
                movedSinceWide = true
                exchange?.searchFound(values, objective: objective)
                progress?(SolveProgress(incumbent: objective, elapsedSeconds: seconds(began.duration(to: clock.now))))
            }
            warmUps += 1
            if lastWarmUpImproved { warmUpImproved += 1 }
            warmUpSeconds += seconds(startedAt.duration(to: clock.now))
        }
        // A helper's changes, taken into the plan.
        func apply(_ changes: [HelpSession.Change]) {
            guard !changes.isEmpty else { return }
            HelpSession.apply(changes, to: &values, objective: &objective, of: model)
            movedSinceWide = true
        }
        // One round: `free` (with the continuous columns beside it) solved with everything else held, and its
        // answer taken when better (`gain` says by how much; nil when not). Beside a helper, the round's rows
        // are claimed while it runs.
        func solveRound(freeing free: Set<Int>, settings: SearchSettings?) throws -> (solution: Solution, sub: SubModel, gain: Double?) {
            let columns = index.withContinuousNeighbours(free, model: model).sorted()
            let rows = session.map { _ in index.rows(of: columns) } ?? []
            if let session { apply(session.ownerClaim(rows)) }
            var taken = false, sub: SubModel? = nil
            defer { session?.ownerRelease(rows, changes: taken ? sub.map { $0.columns.map { ($0, values[$0]) } } : nil) }
            let (solution, solved) = try self.solveRound(model, columns: columns, values: values, index: index, settings: settings,
                                                         deadline: deadline, shouldStop: shouldStop)
            sub = solved
            let before = objective
            taken = take(solution, of: solved)
            return (solution, solved, taken ? abs(objective - before) : nil)
        }
        // The round's answer as the plan when it is better: true when taken.
        func take(_ solution: Solution, of sub: SubModel) -> Bool {
            guard solution.status == .optimal || solution.status == .feasible else { return false }
            var candidate = values
            for (k, j) in sub.columns.enumerated() { candidate[j] = solution.columnValues[k] }
            let candidateObjective = model.objectiveValue(candidate)
            guard model.direction.isBetter(candidateObjective, than: objective), model.isFeasible(candidate) else { return false }
            values = candidate
            objective = candidateObjective
            movedSinceWide = true
            exchange?.searchFound(values, objective: objective)
            progress?(SolveProgress(incumbent: objective, elapsedSeconds: seconds(began.duration(to: clock.now))))
            return true
        }
        // Wide rounds: the first before the usual ones, then whenever those have had their time, and only
        // after the plan has moved (the same plan would give the same answer).
        func wideRoundIsDue(_ wide: WideRound) -> Bool {
            wideTally.isDue(every: wide.everyRounds, share: wide.timeShare, underDeadline: deadline != nil, now: clock.now)
        }
        func guidedRoundIsDue(_ wide: WideRound) -> Bool {
            owners != nil && !guideSettled
                && guidedTally.isDue(every: wide.guidedEveryRounds, share: wide.guidedTimeShare, underDeadline: deadline != nil, now: clock.now)
        }
        func runGuidedRound(_ wide: WideRound, owners: Grouping) throws {
            let startedAt = clock.now
            func disagrees(_ g: Int) -> Bool { (values[gates[g].gate] > 0.5) != guideOpens[gates[g].gate] }
            let differing = gatesOfOwner.indices.filter { gatesOfOwner[$0].contains(where: disagrees) }
            guard !differing.isEmpty else { guideSettled = true; return }
            var free = Set<Int>()
            let first = differing[random.below(differing.count)]
            for o in owners.pick(count: wide.guidedOwners, random: &random, first: first) {
                for g in gatesOfOwner[o] {
                    let differs = disagrees(g)
                    if differs { free.insert(gates[g].gate) }
                    if differs || values[gates[g].gate] > 0.5 { free.formUnion(gates[g].columns) }
                }
            }
            let gain = try solveRound(freeing: free, settings: wide.settings ?? roundSettings).gain
            guidedTally.record(gain: gain, from: startedAt, to: clock.now)
        }
        func runWideRound(_ wide: WideRound) throws {
            let startedAt = clock.now
            let free = Set(wide.gates.filter { values[$0.gate] > 0.5 }.flatMap(\.columns))
            guard !free.isEmpty else { movedSinceWide = false; return }
            let gain = try solveRound(freeing: free, settings: wide.settings ?? roundSettings).gain
            wideTally.record(gain: gain, from: startedAt, to: clock.now)
            movedSinceWide = false
        }
        if let warmUp { runWarmUp(warmUp) }
        // The plan beside the search, when the other side has a newer one and it is better: true when taken.
        func takeSharedPlan() -> Bool {
            guard let exchange, exchange.currentVersion != seenVersion else { return false }
            let shared = exchange.current()
            seenVersion = shared.version
            guard model.direction.isBetter(shared.objective, than: objective) else { return false }
            values = shared.values
            objective = shared.objective
            movedSinceWide = true
            return true
        }
        for round in 0..<rounds {
            if let deadline, clock.now >= deadline { break }
            if shouldStop?() == true { break }
            if sinceImprovement >= patience {
                // Beside a tree, the warm-up again from the best plan, or wait for the tree's next incumbent
                // to search around; alone, give up.
                guard let exchange else { break }
                if let warmUp {
                    _ = takeSharedPlan()
                    runWarmUp(warmUp)
                    sinceImprovement = lastWarmUpImproved ? 0 : patience / 2
                    continue
                }
                while exchange.currentVersion == seenVersion, shouldStop?() != true, deadline.map({ clock.now < $0 }) ?? true {
                    Thread.sleep(forTimeInterval: 0.02)
                }
                if exchange.currentVersion == seenVersion { break }
                sinceImprovement = 0
                continue
            }
            if takeSharedPlan() { sinceImprovement = 0 }
            if let session { apply(session.ownerSync(values)) }
            if let wide = wideRound, movedSinceWide, wideRoundIsDue(wide) { try runWideRound(wide) }
            if let deadline, clock.now >= deadline { break }
            if let wide = wideRound, let owners, guidedRoundIsDue(wide) {
                try runGuidedRound(wide, owners: owners)
                if let deadline, clock.now >= deadline { break }
            }
            wideTally.roundsSince += 1
            guidedTally.roundsSince += 1
            let (way, free) = usual.next(round, random: &random, index: index, model: model, values: values)
            let (solution, sub, gain) = try solveRound(freeing: free, settings: roundSettings)
            done += 1
            sinceImprovement += 1
            if solution.status == .optimal { proven += 1 }
            if gain != nil {
                improved += 1
                sinceImprovement = 0
            }
            // A round that freed every integer column and was solved exactly has proven the plan best:
            // nothing is left for other rounds to find.
            if solution.status == .optimal, sub.model.columns.filter({ $0.kind != .continuous }).count == integerColumns {
                settled = true
                break
            }
            usual.record(way: way, solvedExactly: solution.status == .optimal)
        }
        if let session {
            apply(session.close())
            objective = model.objectiveValue(values)
        }
        let warmUpLog = warmUps == 0 ? "" : "Warm-up heuristic: \(warmUps) runs (\(warmUpImproved) improved the plan) in \(String(format: "%.2f", warmUpSeconds)) s\n"
        let log = warmUpLog + wideTally.log("Wide rounds") + guidedTally.log("Guided rounds") + (session?.log() ?? "") + "Neighbourhood search: \(done) rounds (\(proven) solved exactly, \(improved) improved the plan\(settled ? ", the last over the whole model" : "")), "
            + "objective \(format(first)) -> \(format(objective)) in \(String(format: "%.2f", seconds(began.duration(to: clock.now)))) s\n"
        return Outcome(values: values, log: log, provenOptimal: settled)
    }

    private func format(_ v: Double) -> String { String(format: "%.6g", v) }

    /// One round's MIP: `columns` free, everything else held at `values`.
    private func solveRound(_ model: LinearModel, columns: [Int], values: [Double], index: SparseIndex, settings: SearchSettings?,
                            deadline: ContinuousClock.Instant?, shouldStop: (@Sendable () -> Bool)?) throws -> (Solution, SubModel) {
        let sub = SubModel(model, free: columns, values: values, index: index)
        // GLPK's defaults: measured on gapd-6 (30 s), without cuts or the feasibility pump rounds are
        // quicker but settle less often, and the plan ends worse (12,563-12,598 against 12,479).
        var options = SolveOptions()
        options.nodeLimit = nodeLimitPerRound
        options.startingSolution = sub.columns.map { values[$0] }
        options.backtracking = .bestProjection
        options.shouldStop = shouldStop
        if let settings { options.searchSettings = settings }
        if let deadline { options.timeLimitSeconds = max(0.001, seconds(ContinuousClock.now.duration(to: deadline))) }
        return (try Problem(sub.model).solve(options), sub)
    }

    /// The helper's side of `session` (see `SearchHelp`), on the calling thread, which must be a GLPK solver
    /// thread: usual rounds from the search's plan, with a seed of their own, until the search is over.
    func help(_ session: HelpSession) throws {
        let model = session.model, index = session.index
        guard var values = session.join() else { return }
        var objective = model.objectiveValue(values)
        var usual = session.usual
        var random = Xorshift(seed: seed &+ 0x9E37_79B9)
        var round = 1
        while ContinuousClock.now < session.deadline, session.shouldStop?() != true {
            let startedAt = ContinuousClock.now
            let (way, free) = usual.next(round, random: &random, index: index, model: model, values: values)
            round += 1
            let columns = index.withContinuousNeighbours(free, model: model).sorted()
            let rows = index.rows(of: columns)
            guard let (granted, changes) = session.helperClaim(rows) else { return }
            HelpSession.apply(changes, to: &values, objective: &objective, of: model)
            guard granted else { Thread.sleep(forTimeInterval: 0.001); continue }
            var taken: [HelpSession.Change]? = nil, gain = 0.0
            defer { session.helperRelease(rows, changes: taken, gain: gain, seconds: seconds(startedAt.duration(to: .now))) }
            let (solution, sub) = try solveRound(model, columns: columns, values: values, index: index, settings: roundSettings,
                                                 deadline: session.deadline, shouldStop: session.shouldStop)
            usual.record(way: way, solvedExactly: solution.status == .optimal)
            guard solution.status == .optimal || solution.status == .feasible else { continue }
            var delta = 0.0
            for (k, j) in sub.columns.enumerated() { delta += model.columns[j].objective * (solution.columnValues[k] - values[j]) }
            guard model.direction.isBetter(objective + delta, than: objective), sub.model.isFeasible(solution.columnValues) else { continue }
            for (k, j) in sub.columns.enumerated() { values[j] = solution.columnValues[k] }
            objective += delta
            taken = sub.columns.map { ($0, values[$0]) }
            gain = abs(delta)
        }
    }
}

/// The usual rounds' neighbourhoods: the groups of each grouping in turn, as many as the last rounds' MIPs
/// allowed (grown while rounds are settled exactly, shrunk when the node limit cut one short).
struct UsualNeighbourhoods {
    /// Rows each group touches, and groups on each row, to free groups that compete for the same rows.
    let ways: [Grouping]
    var freedOf: [Int]
    let maximumFreeColumns: Int

    init(_ groupings: [[[Int]]], index: SparseIndex, rows: Int, initial: Int, maximumFreeColumns: Int) {
        ways = groupings.map { Grouping($0, index: index, rows: rows, initial: initial) }
        freedOf = ways.map(\.initial)
        self.maximumFreeColumns = maximumFreeColumns
    }

    /// The columns round `round` frees, and the grouping they came from.
    mutating func next(_ round: Int, random: inout Xorshift, index: SparseIndex, model: LinearModel, values: [Double]) -> (way: Int, free: Set<Int>) {
        let w = round % ways.count
        let chosen = ways[w].pick(count: freedOf[w], random: &random)
        let free = index.withoutForcedZeros(Set(chosen.flatMap { ways[w].groups[$0] }), model: model, values: values)
        if free.count > maximumFreeColumns { freedOf[w] = max(2, freedOf[w] - 1) }
        return (w, free)
    }

    mutating func record(way w: Int, solvedExactly: Bool) {
        let most = ways[w].groups.count
        freedOf[w] = solvedExactly ? min(most, freedOf[w] + 1) : max(2, freedOf[w] - 1)
    }
}

extension GLPKSolver {
    /// `model` with every column outside `free` held at `values`, solved under `options` (whose starting
    /// solution, if any, is of the whole model): the caller's own neighbourhood, where the search's rounds
    /// pick theirs. Continuous columns that share a row with a free integer column are freed with it (an
    /// unmet need's slack moves with the work that could meet it). The answer is for the whole model: the
    /// free columns as solved, the rest as held. Its objective and bound count the held columns too, so the
    /// bound holds for this neighbourhood, not for the whole model. Rows no free column touches are left
    /// out, so `values` must keep them.
    public static func solve(_ model: LinearModel, freeing free: [Int], heldAt values: [Double], options: SolveOptions) throws -> Solution {
        precondition(values.count == model.columns.count, "one value per column")
        let index = SparseIndex(model)
        let sub = SubModel(model, free: index.withContinuousNeighbours(Set(free), model: model).sorted(), values: values, index: index)
        var local = options
        local.startingSolution = options.startingSolution.map { start in sub.columns.map { start[$0] } }
        var solution = try solve(sub.model, options: local)
        guard solution.status == .optimal || solution.status == .feasible, let subObjective = solution.objective else { return solution }
        var whole = values
        for (k, j) in sub.columns.enumerated() { whole[j] = solution.columnValues[k] }
        let objective = model.objectiveValue(whole)
        solution.bestBound = solution.bestBound.map { $0 + objective - subObjective }
        solution.objective = objective
        if solution.status == .feasible, let bound = solution.bestBound { solution.gap = abs(objective - bound) / (1e-9 + abs(objective)) }
        solution.columnValues = whole
        solution.rowValues = model.rowActivities(whole)
        solution.rowDuals = []
        return solution
    }
}

/// What one kind of occasional round (wide, guided) has done, and when the next is due.
private struct RoundTally {
    var count = 0, improved = 0, totalSeconds = 0.0, gain = 0.0
    /// Usual rounds since the last of these, when it ended and how long it took.
    var roundsSince = 0, lastEnded: ContinuousClock.Instant, lastSeconds = 0.0
    init(now: ContinuousClock.Instant) { lastEnded = now }

    /// The first at once; then without a deadline after `every` usual rounds, under one once the others have
    /// had (1 / share - 1) times the last round's time.
    func isDue(every: Int, share: Double, underDeadline: Bool, now: ContinuousClock.Instant) -> Bool {
        guard count > 0 else { return true }
        guard underDeadline else { return roundsSince >= every }
        return seconds(lastEnded.duration(to: now)) >= lastSeconds * (1 / min(1, max(1e-3, share)) - 1)
    }

    /// A round from `start` to `end`; `gain` when it improved the plan.
    mutating func record(gain roundGain: Double?, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        count += 1
        if let roundGain { improved += 1; gain += roundGain }
        roundsSince = 0
        lastEnded = end
        lastSeconds = seconds(start.duration(to: end))
        totalSeconds += lastSeconds
    }

    /// The solver log's line, empty when none ran.
    func log(_ name: String) -> String {
        count == 0 ? "" : "\(name): \(count) (\(improved) improved the plan, by \(String(format: "%.6g", gain)) in all) in \(String(format: "%.2f", totalSeconds)) s\n"
    }
}

/// One way of grouping the columns, with the rows each group touches.
struct Grouping {
    var groups: [[Int]]
    var rowsOfGroup: [[Int]]
    var groupsOfRow: [[Int]]
    var initial: Int

    init(_ groups: [[Int]], index: SparseIndex, rows: Int, initial: Int) {
        self.groups = groups
        rowsOfGroup = groups.map { Array(Set($0.flatMap { index.rowsOfColumn[$0] })).sorted() }
        groupsOfRow = Array(repeating: [], count: rows)
        for (g, rows) in rowsOfGroup.enumerated() { for r in rows { groupsOfRow[r].append(g) } }
        self.initial = min(max(2, initial), groups.count)
    }

    /// A random group (or `first`), then the groups sharing most rows with those chosen so far (random among equals):
    /// advisers who could take each other's schools, schools that want the same advisers.
    func pick(count: Int, random: inout Xorshift, first: Int? = nil) -> [Int] {
        var chosen = [first ?? random.below(groups.count)]
        var taken = Set(chosen)
        var shared = [Int](repeating: 0, count: groups.count)
        while chosen.count < count {
            for r in rowsOfGroup[chosen.last!] { for g in groupsOfRow[r] { shared[g] += 1 } }
            var best = -1, bestKey = (-1, UInt64(0))
            for g in groups.indices where !taken.contains(g) {
                let key = (shared[g], random.next())
                if key > bestKey { best = g; bestKey = key }
            }
            guard best >= 0 else { break }
            chosen.append(best)
            taken.insert(best)
        }
        return chosen
    }
}

/// Rows of each column and columns of each row, built once per search.
struct SparseIndex {
    var rowsOfColumn: [[Int]]
    var columnsOfRow: [[Int]]
    var entriesOfRow: [[(column: Int, value: Double)]]
    init(_ model: LinearModel) {
        rowsOfColumn = Array(repeating: [], count: model.columns.count)
        columnsOfRow = Array(repeating: [], count: model.rows.count)
        entriesOfRow = Array(repeating: [], count: model.rows.count)
        for c in model.coefficients where c.value != 0 {
            rowsOfColumn[c.column].append(c.row)
            columnsOfRow[c.row].append(c.column)
            entriesOfRow[c.row].append((c.column, c.value))
        }
    }
}

extension SparseIndex {
    /// The rows `columns` touch, each once, in order.
    func rows(of columns: [Int]) -> [Int] {
        Array(Set(columns.flatMap { rowsOfColumn[$0] })).sorted()
    }

    /// `free` with every continuous column that shares a row with one of its integer columns: an unmet need's
    /// slack moves with the work that could meet it.
    /// Each row is read once: a row that links the whole model (a binding budget, when the model is solved
    /// whole) holds every column, and reading it again for each free column took a wide round of a national
    /// model 81 s, past its time limit.
    func withContinuousNeighbours(_ free: Set<Int>, model: LinearModel) -> Set<Int> {
        var result = free
        var read = Set<Int>()
        for j in free where model.columns[j].kind != .continuous {
            for r in rowsOfColumn[j] where read.insert(r).inserted {
                for k in columnsOfRow[r] where model.columns[k].kind == .continuous { result.insert(k) }
            }
        }
        return result
    }

    /// `free` less the columns an equality row already holds at zero: when the row's fixed columns meet it
    /// exactly and its free columns can only add (coefficients and lower bounds >= 0), every free column in it
    /// must stay 0 (a school already fully served, a job already placed). Keeps each round's MIP to what can move.
    /// A row with a continuous column is never such a row: the round frees it (an unmet need's slack), so
    /// what it holds is not fixed.
    func withoutForcedZeros(_ free: Set<Int>, model: LinearModel, values: [Double]) -> Set<Int> {
        var result = free
        var rows = Set<Int>()
        for j in free { rows.formUnion(rowsOfColumn[j]) }
        for r in rows.sorted() {
            let row = model.rows[r]
            guard let lower = row.lower, let upper = row.upper, lower == upper else { continue }
            var fixed = 0.0, onlyAdds = true
            for (j, value) in entriesOfRow[r] {
                if model.columns[j].kind == .continuous { onlyAdds = false; break }
                if free.contains(j) {
                    if value < 0 || (model.columns[j].lower ?? -1) < 0 { onlyAdds = false; break }
                } else {
                    fixed += value * values[j]
                }
            }
            if onlyAdds, abs(upper - fixed) <= 1e-9 * max(1, abs(upper)) {
                for (j, _) in entriesOfRow[r] { result.remove(j) }
            }
        }
        return result
    }
}

/// The model with every column outside `free` fixed at `values` and removed: rows keep only free columns,
/// their bounds shifted by the fixed columns' activity; rows with no free column are left out.
struct SubModel {
    var model: LinearModel
    /// Whole-model index of each sub-model column.
    var columns: [Int]

    init(_ whole: LinearModel, free: [Int], values: [Double], index: SparseIndex) {
        columns = free
        var local = [Int: Int]()
        for (k, j) in free.enumerated() { local[j] = k }
        var rowIndices: [Int] = []
        var seen = Set<Int>()
        for j in free { for r in index.rowsOfColumn[j] where seen.insert(r).inserted { rowIndices.append(r) } }
        rowIndices.sort()
        var rows: [Row] = []
        var coefficients: [Coefficient] = []
        for r in rowIndices {
            var fixed = 0.0
            for (j, value) in index.entriesOfRow[r] {
                if let k = local[j] { coefficients.append(Coefficient(row: rows.count, column: k, value: value)) } else { fixed += value * values[j] }
            }
            let row = whole.rows[r]
            rows.append(Row(name: row.name, lower: row.lower.map { $0 - fixed }, upper: row.upper.map { $0 - fixed }))
        }
        model = LinearModel(name: whole.name + "_neighbourhood", direction: whole.direction, objectiveConstant: 0,
                            columns: free.map { whole.columns[$0] }, rows: rows, coefficients: coefficients)
    }
}

/// xorshift64*: the search's only source of randomness, seeded, so rounds repeat exactly.
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

extension LinearModel {
    public func objectiveValue(_ values: [Double]) -> Double {
        var objective = objectiveConstant
        for (j, column) in columns.enumerated() { objective += column.objective * values[j] }
        return objective
    }

    public func rowActivities(_ values: [Double]) -> [Double] {
        var rows = [Double](repeating: 0, count: self.rows.count)
        for c in coefficients { rows[c.row] += c.value * values[c.column] }
        return rows
    }

    /// Integer columns integral and every column within its bounds, and every row feasible.
    func isIntegralAndFeasible(_ values: [Double]) -> Bool {
        guard values.count == columns.count else { return false }
        for (j, column) in columns.enumerated() {
            let v = values[j]
            guard v.isFinite else { return false }
            if column.kind != .continuous, abs(v - v.rounded()) > 1e-9 { return false }
            if column.kind == .binary, v < 0 || v > 1 { return false }
            if let l = column.lower, v < l - 1e-9 { return false }
            if let u = column.upper, v > u + 1e-9 { return false }
        }
        return isFeasible(values)
    }

    /// Every row within its bounds (relative tolerance 1e-6), as the starting-solution check asks.
    func isFeasible(_ values: [Double]) -> Bool {
        let activity = rowActivities(values)
        for (i, row) in rows.enumerated() {
            if let l = row.lower, activity[i] < l - 1e-6 * max(1, abs(l)) { return false }
            if let u = row.upper, activity[i] > u + 1e-6 * max(1, abs(u)) { return false }
        }
        return true
    }
}

/// The best plan known to the parties of a search: a branch-and-bound tree and a neighbourhood search
/// beside it on another thread, or two trees with different settings under a time limit. Each reports the
/// plans it finds, and a tree is offered, at its next heuristic call, a better plan another party found.
/// Integer columns are kept as exact integers.
final class IncumbentExchange: @unchecked Sendable {
    /// One party's place at the exchange, as the C hook sees it.
    final class Seat: @unchecked Sendable {
        let exchange: IncumbentExchange
        let number: Int
        /// Where offered plans come from, for the log ("the neighbourhood search").
        let source: String
        fileprivate init(exchange: IncumbentExchange, number: Int, source: String) {
            self.exchange = exchange; self.number = number; self.source = source
        }
    }

    /// The seats of a tree and the neighbourhood search beside it.
    static let treeSeat = 0, searchSeat = 1

    private let lock = NSLock()
    private let model: LinearModel
    /// Empty until the first plan when there was no start.
    private var values: [Double]
    private var objective: Double
    /// Bumped by every better plan, from any party.
    private var version = 0
    /// The seat that found the best plan (-1: the start).
    private var finder = -1
    /// The newest version each seat has found or been offered.
    private var seen: [Int]
    private var found: [Int]

    init(model: LinearModel, start: [Double]?, seats: Int = 2) {
        self.model = model
        values = start ?? []
        objective = start.map { model.objectiveValue($0) } ?? 0
        seen = Array(repeating: 0, count: seats)
        found = Array(repeating: 0, count: seats)
    }

    func seat(_ number: Int, offering source: String) -> Seat { Seat(exchange: self, number: number, source: source) }

    private func isBetter(_ candidate: Double) -> Bool {
        values.isEmpty || model.direction.isBetter(candidate, than: objective)
    }

    /// The best plan so far and its version.
    func current() -> (values: [Double], objective: Double, version: Int) {
        lock.lock(); defer { lock.unlock() }
        return (values, objective, version)
    }

    var currentVersion: Int { lock.lock(); defer { lock.unlock() }; return version }

    /// Better plans this seat found.
    func plansFound(at seat: Int) -> Int { lock.lock(); defer { lock.unlock() }; return found[seat] }

    /// A plan the search found (feasible, integral); kept when better than every plan so far.
    func searchFound(_ candidate: [Double], objective candidateObjective: Double) {
        record(candidate, objective: candidateObjective, at: IncumbentExchange.searchSeat)
    }

    private func record(_ candidate: [Double], objective candidateObjective: Double, at seat: Int) {
        lock.lock(); defer { lock.unlock() }
        guard isBetter(candidateObjective) else { return }
        values = candidate
        objective = candidateObjective
        version += 1
        finder = seat
        seen[seat] = version
        found[seat] += 1
    }

    /// A tree's new incumbent (from GLPK: integer columns may carry rounding noise).
    fileprivate func treeFound(_ raw: UnsafeBufferPointer<Double>, at seat: Int) {
        var candidate = Array(raw)
        for (j, column) in model.columns.enumerated() where column.kind != .continuous { candidate[j] = candidate[j].rounded() }
        record(candidate, objective: model.objectiveValue(candidate), at: seat)
    }

    /// Copies the best plan into `offer` when another seat found it and this one has not seen it.
    fileprivate func takeOffer(_ offer: UnsafeMutableBufferPointer<Double>, at seat: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard version > seen[seat], finder != seat, offer.count == values.count else { return false }
        seen[seat] = version
        _ = offer.update(fromContentsOf: values)
        return true
    }
}

/// Called from C inside glp_intopt (see cglpk_exchange_fn). Never calls GLPK.
let incumbentExchangeHook: cglpk_exchange_fn = { ctx, n, incumbent, offer in
    guard let ctx else { return 0 }
    let seat = Unmanaged<IncumbentExchange.Seat>.fromOpaque(ctx).takeUnretainedValue()
    if let incumbent {
        seat.exchange.treeFound(UnsafeBufferPointer(start: incumbent, count: Int(n)), at: seat.number)
        return 0
    }
    guard let offer else { return 0 }
    return seat.exchange.takeOffer(UnsafeMutableBufferPointer(start: offer, count: Int(n)), at: seat.number) ? 1 : 0
}
