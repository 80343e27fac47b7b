import AdviserModel
import Foundation
import GLPK

/// A primal heuristic for the allocation model: builds a feasible integer column vector that GLPK takes
/// as its first incumbent, so branch-and-bound prunes against a good plan from the start instead of
/// waiting for its own heuristics to find one.
///
/// 1. Leads: repeatedly takes the school with the fewest lead options that still fit (capacity, budget,
///    max_schools) and gives it the adviser who could also cover most of its priority-weighted need-days.
/// 2. Fill: needs in order of unmet penalty per unit; each takes units from the adviser that can supply
///    the most (preferring an adviser already at the school), repeated until covered or nobody fits.
/// 3. Improve: deterministic ruin-and-recreate. Each move empties a need assignment, a whole
///    adviser-school pair, or moves a school's lead, then refills; it is kept only when the objective
///    improves. Passes repeat until no move improves (or a fixed pass limit). The costliest moves are not
///    tried again while nothing near their advisers has changed since they last failed ("don't look" marks).
///
/// Every change is checked against the model's own rows and column bounds (the coefficients are read
/// from `model`, not re-derived), and the final vector is verified row by row from scratch; when that
/// fails, or no lead assignment is found, the result is nil. Everything iterates over arrays in model
/// order, so the result is the same on every run.
enum StartingPlan {
    /// Passes of the improvement phase; each is a full sweep of all moves.
    static let improvementPasses = 12

    /// - Parameter seed: a plan to start from (what-if: the base plan). Its leads and need-days that the
    ///   model still allows and that still fit are taken first; the usual phases then complete the plan.
    /// - Parameter deadline: the local search stops improving at this instant (under a time limit, so the
    ///   search proper keeps its share); the plan built so far is kept.
    /// - Parameter shouldStop: asked as often as the deadline (Ctrl-C): once true, the same.
    /// - Parameter firstPlan: told the objective of the greedy plan, before the local search improves it.
    /// - Parameter betterPlan: told the objective of each plan the local search improves to (after every accepted move: keep it cheap).
    /// - Parameter twoThreads: a programme that splits into two halves sharing no eligible pair has them
    ///   improved side by side (`improveInHalves`): the same plan without a deadline, sooner.
    static func build(_ f: AllocationFormulation, seed: Plan? = nil, deadline: ContinuousClock.Instant? = nil,
                      shouldStop: (@Sendable () -> Bool)? = nil,
                      firstPlan: ((Double) -> Void)? = nil, betterPlan: ((Double) -> Void)? = nil, twoThreads: Bool = false) -> [Double]? {
        var search = StartingPlanSearch(f)
        search.deadline = deadline
        search.shouldStop = shouldStop
        // The search counts the objective without the model's constant.
        search.betterPlan = betterPlan.map { report in { report($0 + f.model.objectiveConstant) } }
        search.takeFixedPairings()
        if let seed {
            guard search.take(seed, f) != nil else { return build(f, deadline: deadline, shouldStop: shouldStop, firstPlan: firstPlan, betterPlan: betterPlan, twoThreads: twoThreads) }
        }
        guard search.assignLeads() else { return nil }
        search.refill(forbiddenCandidate: -1, forbiddenPair: -1)
        firstPlan?(f.model.objectiveValue(search.values))
        if twoThreads { search.improveInHalves(passes: improvementPasses) } else { search.improve(passes: improvementPasses) }
        let values = search.values
        if verify(values, model: f.model) { return values }
        return seed == nil ? nil : build(f, deadline: deadline, shouldStop: shouldStop, firstPlan: firstPlan, betterPlan: betterPlan, twoThreads: twoThreads)
    }

    /// A plan rounded from an LP solution of the model (a node of branch-and-bound): the leads the LP
    /// mostly gives, then each need assignment's whole units where they fit, then the usual phases.
    /// - Parameter area: the local search moves only there (`improve(passes:within:)`): a region's relaxation
    ///   set into a plan of the rest, which needs no improving.
    static func build(_ f: AllocationFormulation, relaxation x: [Double], passes: Int = improvementPasses,
                      deadline: ContinuousClock.Instant? = nil, within area: (schools: [Bool], advisers: [Bool])? = nil) -> [Double]? {
        guard x.count == f.model.columns.count else { return nil }
        var search = StartingPlanSearch(f)
        search.deadline = deadline
        guard search.round(x, f, region: nil, passes: passes, within: area) else { return nil }
        let values = search.values
        return verify(values, model: f.model) ? values : nil
    }

    /// Rounds regions' relaxations, one region at a time, into plans of those regions, from one state of
    /// the heuristic that holds the whole starting plan. That state is built on first use and copied for each
    /// region, whose rounding then takes out the region's own work and rounds its relaxation in, as
    /// `build(_:relaxation:passes:deadline:within:)` does for the whole model, with the same plan of the region
    /// where no budget links the regions. Built afresh for each region (the whole model's state, every lead
    /// and unit of the rest put in again), two such states at once on two cores took a generated national
    /// programme (700,000 columns) from 1,051 to 1,325 MiB at its peak; the time went, and still goes, into
    /// the local search within the region.
    final class RegionRounding: @unchecked Sendable {
        private let f: AllocationFormulation
        private let start: [Double]
        private let lock = NSLock()
        /// nil until built; then the state, or nil inside when `start` cannot be loaded.
        private var built: StartingPlanSearch?? = nil

        /// - Parameter start: a plan of the whole model (integral and feasible): the rest of the model stays at it.
        init(_ f: AllocationFormulation, start: [Double]) {
            self.f = f
            self.start = start
        }

        private func template() -> StartingPlanSearch? {
            lock.lock()
            defer { lock.unlock() }
            if let built { return built }
            var search = StartingPlanSearch(f)
            let state = search.load(start) ? search : nil
            built = .some(state)
            return state
        }

        /// The region's columns (`columns`, ascending, of the whole model) of a plan rounded from its relaxation
        /// (`relaxation`, in the order of `columns`), with the rest of the model at the start; nil when the
        /// heuristic finds none. The local search moves only within the region's schools and advisers.
        func plan(columns: [Int], relaxation: [Double], passes: Int, deadline: ContinuousClock.Instant?) -> [Double]? {
            guard relaxation.count == columns.count, var search = template() else { return nil }
            search.deadline = deadline
            var x = start
            var inRegion = [Bool](repeating: false, count: start.count)
            for (k, j) in columns.enumerated() {
                guard j >= 0 && j < start.count else { return nil }
                x[j] = relaxation[k]
                inRegion[j] = true
            }
            var schools = [Bool](repeating: false, count: f.scenario.schools.count)
            var advisers = [Bool](repeating: false, count: f.scenario.advisers.count)
            var pairs: [Int] = []
            for (p, pair) in f.pairs.enumerated() where inRegion[pair.assigned] {
                pairs.append(p)
                schools[pair.school] = true
                advisers[pair.adviser] = true
            }
            search.clear(pairs: pairs)
            guard search.round(x, f, region: inRegion, passes: passes, within: (schools, advisers)) else { return nil }
            let values = search.values
            return verify(values, model: f.model) ? columns.map { values[$0] } : nil
        }
    }

    /// True when `values` satisfies every column bound, integrality and row of `model`.
    static func verify(_ values: [Double], model: LinearModel) -> Bool {
        guard values.count == model.columns.count else { return false }
        let tolerance = 1e-9
        for (j, column) in model.columns.enumerated() {
            let v = values[j]
            guard v.isFinite else { return false }
            if column.kind != .continuous, v != v.rounded() { return false }
            var lower = column.lower, upper = column.upper
            if column.kind == .binary { lower = max(lower ?? 0, 0); upper = min(upper ?? 1, 1) }
            if let l = lower, v < l - tolerance * max(1, abs(l)) { return false }
            if let u = upper, v > u + tolerance * max(1, abs(u)) { return false }
        }
        var activity = [Double](repeating: 0, count: model.rows.count)
        for c in model.coefficients { activity[c.row] += c.value * values[c.column] }
        for (i, row) in model.rows.enumerated() {
            if let l = row.lower, activity[i] < l - tolerance * max(1, abs(l)) { return false }
            if let u = row.upper, activity[i] > u + tolerance * max(1, abs(u)) { return false }
        }
        return true
    }
}

/// The mutable search state. Decisions are the need units x and the leads l; the pair variables y and
/// the unmet slack follow from them (y = 1 exactly when the pair has a lead or any need units).
struct StartingPlanSearch {
    // Model, column-major (CSR by column), with bounds as +/-infinity where absent.
    let columnStart: [Int]
    /// 32 bits, as the model's coefficients: a national model's 20 million entries take 82 MB less.
    let entryRow: [Int32]
    let entryValue: [Double]
    let rowLower: [Double]
    /// Not `let`: two halves improved at once each get their part of a budget (`improveInHalves`).
    var rowUpper: [Double]
    let columnLower: [Double]
    let columnUpper: [Double]
    let objective: [Double]

    // Structure.
    let candidateColumn: [Int]
    let candidateNeed: [Int]
    let candidatePair: [Int]
    let candidateUnits: [Int]
    let pairAssigned: [Int]
    let pairLead: [Int]  // -1 when the pair has no lead column
    let pairSchool: [Int]
    let pairAdviser: [Int]
    /// Adviser capacity (days, with travel) one unit of the candidate uses; for scoring only.
    let candidateResource: [Double]
    /// Capacity-equivalent charged for opening a new adviser-school pair when scoring openings.
    let slotWeight: Double
    let adviserCount: Int
    let needUnmetColumn: [Int]
    let needUnits: [Int]
    let needCoverRow: [Int]
    let candidatesOfNeed: IndexLists
    let candidatesOfPair: IndexLists
    let candidatesOfPairByPenalty: IndexLists
    /// Candidates of each adviser and of each school, ascending: the local search's moves empty these.
    let candidatesOfAdviser: IndexLists
    let candidatesOfSchool: IndexLists
    /// Pairs of advisers (a < b) who may both work at some school: only they can trade work.
    let adviserNeighbours: [(Int, Int)]
    /// The budget row (or -1), and the most one unit or one lead can cost under it.
    let budgetRow: Int
    let largestUnitCost: Double
    /// Row limiting how many schools the pair's adviser takes (the one row where y has a positive
    /// coefficient and a positive upper bound), or -1.
    let pairSlotRow: [Int]
    let leadPairsOfSchool: IndexLists
    let requireLead: Bool
    /// Needs in fill order: larger penalty per unit first, then fewer candidates, then file order.
    let needOrder: [Int]
    /// Position of each need in `needOrder`.
    let needRank: [Int]
    /// The ranks (`needRank`) of the needs each adviser could work on, ascending, each once: the needs a move
    /// that frees the adviser can help (`needsHelped`), already in fill order.
    let needRanksOfAdviser: IndexLists
    /// Unmet penalty per unit of each need, and the distinct values, largest first.
    let needPenalty: [Double]
    let penaltyLevels: [Double]

    var deadline: ContinuousClock.Instant?
    /// Ctrl-C: read with the clock, and ends the local search as the deadline does. A national heuristic runs
    /// for minutes, and a user who stops it wants the plan so far, not to wait or to quit without it.
    var shouldStop: (@Sendable () -> Bool)?
    /// Told the objective after each accepted move of the local search.
    var betterPlan: ((Double) -> Void)?
    /// Scratch for `needsHelped`: all false between calls.
    private var needMarked: [Bool] = []
    /// Read every 64 attempts: a clock read per attempt would cost more than many attempts.
    private var attemptsSinceClock = 0
    private var deadlinePassed = false
    private var pastDeadline: Bool {
        mutating get {
            guard deadline != nil || shouldStop != nil, !deadlinePassed else { return deadlinePassed }
            // A stop is a flag, cheap to read, so it is read at every attempt: on a large model an attempt
            // (emptying an adviser's work and filling it again) takes far longer than a look at the clock.
            if shouldStop?() == true {
                deadlinePassed = true
                return true
            }
            attemptsSinceClock += 1
            if attemptsSinceClock >= 64 {
                attemptsSinceClock = 0
                deadlinePassed = deadline.map { ContinuousClock.now >= $0 } ?? false
            }
            return deadlinePassed
        }
    }

    // State.
    private(set) var values: [Double]
    var activity: [Double]
    var needSupplied: [Int]
    var pairUnits: [Int]
    var pairHasLead: [Bool]
    var schoolHasLead: [Bool]
    var objectiveValue: Double

    // Scratch for evaluating a change.
    private var rowDelta: [Double]
    private var rowTouched: [Bool]
    private var pairDeltaUnits: [Int]
    private var pairDeltaLead: [Int]
    private var pairTouched: [Bool]
    private var needDelta: [Int]
    private var needTouched: [Bool]

    /// Moves applied since the last `settle`, newest last, to roll back. Flattened into three arrays, so that
    /// applying a move allocates nothing: a local search applies and undoes millions of them.
    private var journal: [JournalEntry] = []
    private var journalColumns: [(column: Int, delta: Double)] = []
    private var journalUnits: [(candidate: Int, delta: Int)] = []
    private var journalLeads: [(pair: Int, delta: Int)] = []
    /// Where one applied move's columns, units and leads end in the journal's arrays (each starts where the
    /// entry before it ends), and its objective gain.
    private struct JournalEntry {
        var columnsEnd: Int
        var unitsEnd: Int
        var leadsEnd: Int
        var gain: Double
    }
    /// Scratch for `move`: the pairs and needs a change touches; empty between calls.
    private var touchedPairs: [Int] = []
    private var touchedNeeds: [Int] = []
    /// Scratch for `refill`: the pairs it may open.
    private var openablePairs: [Int] = []
    /// Scratch for `check`: the rows a change touches, in its first entries (grown, never emptied).
    private var touchedRows: [Int] = []

    /// "Don't look" marks for the local search's two costliest moves, handing a school's lead to another adviser
    /// and emptying two advisers' work at once (together four fifths of a pass on a generated 5,000 x 700, and
    /// nearly always refused). Such a move is not tried again until the work changes at some school where
    /// one of its advisers may work: what the move frees and what the refill can then do lie there. Changes are
    /// counted in accepted moves; the marks hold the count when each adviser's surroundings last changed and
    /// when each move was last tried.
    private var acceptedMoves = 0
    /// Changes made outside the local search (a plan loaded, a region cleared) count as a change everywhere:
    /// each `improve` starts by setting this.
    private var everythingChangedAt = 0
    private var nearbyChangedAt: [Int]
    /// So that a school's advisers are marked once per accepted move.
    private var schoolChangedAt: [Int]
    private let advisersOfSchool: IndexLists
    /// By the pair that would take the lead.
    private var leadHandedTriedAt: [Int]
    /// By position in `adviserNeighbours`.
    private var neighboursEmptiedTriedAt: [Int]

    /// A change `move` found feasible, with its objective gain. Its columns wait in `pendingColumns` until
    /// the next `move`, so that weighing a candidate allocates nothing; `apply` takes only the latest move.
    struct Move {
        var gain: Double
        fileprivate var serial: Int
    }
    private var pendingColumns: [(column: Int, delta: Double)] = []
    private var moveSerial = 0

    /// The cheapest leads every school can have at once, each school's lead adviser
    /// (`AllocationFormulation.cheapestLeadAdvisers`), found only when the lead phase needs them.
    private let findCheapestLeadAdvisers: () -> [Int]?

    init(_ f: AllocationFormulation) {
        findCheapestLeadAdvisers = { f.cheapestLeadAdvisers() }
        let model = f.model
        let n = model.columns.count, m = model.rows.count
        var counts = [Int](repeating: 0, count: n + 1)
        for c in model.coefficients { counts[c.column + 1] += 1 }
        for j in 0..<n { counts[j + 1] += counts[j] }
        var rowsOut = [Int32](repeating: 0, count: model.coefficients.count)
        var valuesOut = [Double](repeating: 0, count: model.coefficients.count)
        var next = counts
        for c in model.coefficients {
            rowsOut[next[c.column]] = Int32(c.row)
            valuesOut[next[c.column]] = c.value
            next[c.column] += 1
        }
        columnStart = counts
        entryRow = rowsOut
        entryValue = valuesOut
        rowLower = model.rows.map { $0.lower ?? -.infinity }
        rowUpper = model.rows.map { $0.upper ?? .infinity }
        columnLower = model.columns.map { c in
            let l = c.lower ?? -.infinity
            return c.kind == .binary ? max(l, 0) : l
        }
        columnUpper = model.columns.map { c in
            let u = c.upper ?? .infinity
            return c.kind == .binary ? min(u, 1) : u
        }
        objective = model.columns.map { model.direction == .maximize ? $0.objective : -$0.objective }

        candidateColumn = f.candidates.map(\.column)
        candidateNeed = f.candidates.map(\.need)
        candidatePair = f.candidates.map(\.pair)
        candidateUnits = f.candidates.map { Int(model.columns[$0.column].upper ?? 0) }
        pairAssigned = f.pairs.map(\.assigned)
        pairLead = f.pairs.map { $0.lead ?? -1 }
        pairSchool = f.pairs.map(\.school)
        pairAdviser = f.pairs.map(\.adviser)
        adviserCount = f.scenario.advisers.count
        candidateResource = f.candidates.map(\.resourcePerUnit)
        slotWeight = 1
        needUnmetColumn = f.unmetColumns
        needUnits = f.unmetColumns.map { Int((model.columns[$0].upper ?? 0).rounded()) }
        // The cover row of a need is the one row its unmet column appears in.
        let start = counts
        needCoverRow = f.unmetColumns.map { u in start[u] < start[u + 1] ? Int(rowsOut[start[u]]) : -1 }
        let candidates = f.candidates, pairs = f.pairs
        let byNeed = IndexLists(owners: f.unmetColumns.count, candidates.indices.lazy.map { (candidates[$0].need, $0) })
        let byPair = IndexLists(owners: pairs.count, candidates.indices.lazy.map { (candidates[$0].pair, $0) })
        candidatesOfNeed = byNeed
        candidatesOfPair = byPair
        let byAdviser = IndexLists(owners: f.scenario.advisers.count, candidates.indices.lazy.map { (pairs[candidates[$0].pair].adviser, $0) })
        candidatesOfAdviser = byAdviser
        candidatesOfSchool = IndexLists(owners: f.scenario.schools.count, candidates.indices.lazy.map { (pairs[candidates[$0].pair].school, $0) })
        let advisersOfSchool = IndexLists(owners: f.scenario.schools.count, f.pairs.lazy.map { ($0.school, $0.adviser) })
        var neighbours = Set<Int>()
        let advisers = f.scenario.advisers.count
        for s in 0..<f.scenario.schools.count {
            let list = advisersOfSchool[s]
            for (i, a) in list.enumerated() { for b in list.dropFirst(i + 1) { neighbours.insert(min(a, b) * advisers + max(a, b)) } }
        }
        adviserNeighbours = neighbours.sorted().map { ($0 / advisers, $0 % advisers) }
        self.advisersOfSchool = advisersOfSchool
        nearbyChangedAt = [Int](repeating: 0, count: advisers)
        schoolChangedAt = [Int](repeating: 0, count: f.scenario.schools.count)
        leadHandedTriedAt = [Int](repeating: -1, count: f.pairs.count)
        neighboursEmptiedTriedAt = [Int](repeating: -1, count: adviserNeighbours.count)
        budgetRow = f.budgetRow ?? -1
        var unitCost = 0.0
        if let budget = f.budgetRow {
            for c in f.model.coefficients where c.row == budget { unitCost = max(unitCost, c.value) }
        }
        largestUnitCost = unitCost
        let unitPenalty = f.unmetColumns.map { -(model.direction == .maximize ? 1.0 : -1.0) * model.columns[$0].objective }
        // Each candidate's penalty read once: reading it through `f` inside the comparator copied the
        // formulation at every comparison (a minute of a national model's start).
        let candidatePenalty = f.candidates.map { unitPenalty[$0.need] }
        // A pair's candidates are in ascending order, so ties keep that order.
        candidatesOfPairByPenalty = IndexLists(owners: pairs.count) { p in
            byPair[p].sorted { a, b in
                let pa = candidatePenalty[a], pb = candidatePenalty[b]
                return pa != pb ? pa > pb : a < b
            }
        }
        pairSlotRow = f.pairs.map { pair in
            let y = pair.assigned
            for k in counts[y]..<counts[y + 1] where valuesOut[k] > 0 && (model.rows[Int(rowsOut[k])].upper ?? 0) >= 1 { return Int(rowsOut[k]) }
            return -1
        }
        leadPairsOfSchool = IndexLists(owners: f.scenario.schools.count, pairs.indices.lazy.filter { pairs[$0].lead != nil }.map { (pairs[$0].school, $0) })
        requireLead = f.scenario.rules.requireLead

        let objectiveCopy = objective
        let penalty = f.unmetColumns.map { -objectiveCopy[$0] }
        needPenalty = penalty
        penaltyLevels = Array(Set(penalty)).sorted(by: >)
        needOrder = Array(0..<f.unmetColumns.count).sorted { a, b in
            if penalty[a] != penalty[b] { return penalty[a] > penalty[b] }
            if byNeed[a].count != byNeed[b].count { return byNeed[a].count < byNeed[b].count }
            return a < b
        }
        needMarked = [Bool](repeating: false, count: f.unmetColumns.count)
        var rank = [Int](repeating: 0, count: f.unmetColumns.count)
        for (r, need) in needOrder.enumerated() { rank[need] = r }
        needRank = rank
        needRanksOfAdviser = IndexLists(owners: f.scenario.advisers.count) { a in
            var ranks = byAdviser[a].map { rank[candidates[$0].need] }
            ranks.sort()
            var unique: [Int] = []
            unique.reserveCapacity(ranks.count)
            for r in ranks where unique.last != r { unique.append(r) }
            return unique
        }

        // Start: nothing assigned, every need unmet.
        var start0 = [Double](repeating: 0, count: n)
        for (need, u) in f.unmetColumns.enumerated() { start0[u] = Double(needUnits[need]) }
        values = start0
        var act = [Double](repeating: 0, count: m)
        for c in model.coefficients { act[c.row] += c.value * start0[c.column] }
        activity = act
        var objective0 = 0.0
        for j in 0..<n { objective0 += objectiveCopy[j] * start0[j] }
        objectiveValue = objective0
        needSupplied = [Int](repeating: 0, count: f.unmetColumns.count)
        pairUnits = [Int](repeating: 0, count: f.pairs.count)
        pairHasLead = [Bool](repeating: false, count: f.pairs.count)
        schoolHasLead = [Bool](repeating: false, count: f.scenario.schools.count)
        rowDelta = [Double](repeating: 0, count: m)
        rowTouched = [Bool](repeating: false, count: m)
        pairDeltaUnits = [Int](repeating: 0, count: f.pairs.count)
        pairDeltaLead = [Int](repeating: 0, count: f.pairs.count)
        pairTouched = [Bool](repeating: false, count: f.pairs.count)
        needDelta = [Int](repeating: 0, count: f.unmetColumns.count)
        needTouched = [Bool](repeating: false, count: f.unmetColumns.count)
    }

    // MARK: - Evaluating and applying changes

    /// The full column change for changing need units and leads (with the pair and unmet columns that
    /// follow), or nil when it breaks a bound or a row it touches. Generic over the units so that one
    /// candidate's change (`one`), the kind weighed most, builds no array.
    mutating func move(units: some Collection<(candidate: Int, delta: Int)>, leads: [(pair: Int, delta: Int)]) -> Move? {
        pendingColumns.removeAll(keepingCapacity: true)
        moveSerial += 1
        for (c, d) in units where d != 0 {
            pendingColumns.append((candidateColumn[c], Double(d)))
            let p = candidatePair[c], need = candidateNeed[c]
            if !pairTouched[p] { pairTouched[p] = true; touchedPairs.append(p) }
            pairDeltaUnits[p] += d
            if !needTouched[need] { needTouched[need] = true; touchedNeeds.append(need) }
            needDelta[need] += d
        }
        for (p, d) in leads where d != 0 {
            guard pairLead[p] >= 0 else { continue }
            pendingColumns.append((pairLead[p], Double(d)))
            if !pairTouched[p] { pairTouched[p] = true; touchedPairs.append(p) }
            pairDeltaLead[p] += d
        }
        for p in touchedPairs {
            let lead = (pairHasLead[p] ? 1 : 0) + pairDeltaLead[p]
            let newY: Double = (lead > 0 || pairUnits[p] + pairDeltaUnits[p] > 0) ? 1 : 0
            let y = pairAssigned[p]
            if newY != values[y] { pendingColumns.append((y, newY - values[y])) }
            pairTouched[p] = false; pairDeltaUnits[p] = 0; pairDeltaLead[p] = 0
        }
        touchedPairs.removeAll(keepingCapacity: true)
        for need in touchedNeeds {
            if needDelta[need] != 0 { pendingColumns.append((needUnmetColumn[need], -Double(needDelta[need]))) }
            needTouched[need] = false; needDelta[need] = 0
        }
        touchedNeeds.removeAll(keepingCapacity: true)
        return check()
    }

    /// Checks `pendingColumns`' bounds and every row they touch; returns the move with its objective gain.
    /// The scratch arrays are taken out of `self` and written through unsafe buffers: every move weighed comes
    /// here, and each checked write to a stored array would ask again whether its buffer is shared.
    private mutating func check() -> Move? {
        var gain = 0.0
        var ok = true
        var entries = 0
        for (j, _) in pendingColumns { entries += columnStart[j + 1] - columnStart[j] }
        var delta: [Double] = [], marked: [Bool] = [], rows: [Int] = []
        swap(&delta, &rowDelta)
        swap(&marked, &rowTouched)
        swap(&rows, &touchedRows)
        if rows.count < entries { rows.append(contentsOf: repeatElement(0, count: entries - rows.count)) }
        delta.withUnsafeMutableBufferPointer { delta in
            marked.withUnsafeMutableBufferPointer { marked in
                rows.withUnsafeMutableBufferPointer { rows in
                    var count = 0
                    for (j, d) in pendingColumns {
                        let v = values[j] + d
                        if v < columnLower[j] - 1e-9 || v > columnUpper[j] + 1e-9 { ok = false }
                        gain += objective[j] * d
                        for k in columnStart[j]..<columnStart[j + 1] {
                            let r = Int(entryRow[k])
                            if !marked[r] { marked[r] = true; rows[count] = r; count += 1 }
                            delta[r] += entryValue[k] * d
                        }
                    }
                    for r in rows[..<count] {
                        let a = activity[r] + delta[r]
                        if a < rowLower[r] - 1e-9 * max(1, abs(rowLower[r])) || a > rowUpper[r] + 1e-9 * max(1, abs(rowUpper[r])) { ok = false }
                        marked[r] = false; delta[r] = 0
                    }
                }
            }
        }
        swap(&delta, &rowDelta)
        swap(&marked, &rowTouched)
        swap(&rows, &touchedRows)
        return ok ? Move(gain: gain, serial: moveSerial) : nil
    }

    mutating func apply(_ move: Move, units: some Collection<(candidate: Int, delta: Int)>, leads: [(pair: Int, delta: Int)]) {
        precondition(move.serial == moveSerial, "a move is applied before any other is weighed")
        for (j, d) in pendingColumns {
            values[j] += d
            for k in columnStart[j]..<columnStart[j + 1] { activity[Int(entryRow[k])] += entryValue[k] * d }
        }
        objectiveValue += move.gain
        journalColumns.append(contentsOf: pendingColumns)
        journalUnits.append(contentsOf: units)
        journalLeads.append(contentsOf: leads)
        journal.append(JournalEntry(columnsEnd: journalColumns.count, unitsEnd: journalUnits.count,
                                    leadsEnd: journalLeads.count, gain: move.gain))
        for (c, d) in units {
            needSupplied[candidateNeed[c]] += d
            pairUnits[candidatePair[c]] += d
        }
        setLeadFlags(leads[...], undone: false)
    }

    /// Sets the lead flags after `leads` is applied, or undone. A move that hands a school's lead from one
    /// pair to another lists both; the school's flag is set by the lead it ends with, whatever the order.
    private mutating func setLeadFlags(_ leads: ArraySlice<(pair: Int, delta: Int)>, undone: Bool) {
        for ending in [true, false] {
            for (p, d) in leads where d != 0 && pairLead[p] >= 0 && ((d < 0) != undone) == ending {
                pairHasLead[p] = !ending
                schoolHasLead[pairSchool[p]] = !ending
            }
        }
    }

    @discardableResult
    mutating func tryApply(units: some Collection<(candidate: Int, delta: Int)>, leads: [(pair: Int, delta: Int)]) -> Bool {
        guard let m = move(units: units, leads: leads) else { return false }
        apply(m, units: units, leads: leads)
        return true
    }

    /// `delta` units of candidate `c` alone, as `move`, `apply` and `tryApply` take them.
    func one(_ c: Int, _ delta: Int) -> CollectionOfOne<(candidate: Int, delta: Int)> { CollectionOfOne((c, delta)) }

    /// Most units candidate `c` can add now (ratio test over its rows, then confirmed), with the move.
    mutating func largestAddition(_ c: Int) -> (units: Int, move: Move)? {
        let need = candidateNeed[c], p = candidatePair[c], x = candidateColumn[c]
        var k = min(needUnits[need] - needSupplied[need], candidateUnits[c] - Int(values[x].rounded()))
        guard k > 0 else { return nil }
        let y = pairAssigned[p]
        let opening = values[y] < 0.5
        for e in columnStart[x]..<columnStart[x + 1] {
            let r = Int(entryRow[e]), a = entryValue[e]
            if r == needCoverRow[need] { continue }
            var room = 0.0
            var shift = 0.0
            if opening {
                for e2 in columnStart[y]..<columnStart[y + 1] where Int(entryRow[e2]) == r { shift += entryValue[e2] }
            }
            if a > 0 {
                room = rowUpper[r] - activity[r] - shift
                if room.isFinite { k = min(k, Int(((room / a) + 1e-9).rounded(.down))) }
            } else if a < 0 {
                room = rowLower[r] - activity[r] - shift
                if room.isFinite { k = min(k, Int(((room / a) + 1e-9).rounded(.down))) }
            }
            if k <= 0 { return nil }
        }
        while k > 0 {
            if let m = move(units: one(c, k), leads: []) { return (k, m) }
            k -= 1
        }
        return nil
    }

    // MARK: - Rounding a relaxation

    /// Rounds `x` (an LP solution of the model) into the plan: the leads the LP mostly gives, then each need
    /// assignment's whole units where they fit, then the usual phases. With `region` (columns of the model),
    /// only its pairs and candidates take leads and units and only its needs are refilled; the local search
    /// moves within `area`. False when some school gets no lead.
    mutating func round(_ x: [Double], _ f: AllocationFormulation, region: [Bool]?, passes: Int,
                        within area: (schools: [Bool], advisers: [Bool])?) -> Bool {
        takeFixedPairings()
        var leads: [(value: Double, pair: Int)] = []
        for (p, pair) in f.pairs.enumerated() where region?[pair.assigned] != false {
            if let lead = pair.lead, x[lead] > 0.5 { leads.append((x[lead], p)) }
        }
        leads.sort { $0.value != $1.value ? $0.value > $1.value : $0.pair < $1.pair }
        for (_, p) in leads { tryApply(units: [], leads: [(p, 1)]) }
        guard assignLeads() else { return false }
        for (c, candidate) in f.candidates.enumerated() where region?[candidate.column] != false {
            let units = min(Int((x[candidate.column] + 1e-6).rounded(.down)), candidateUnits[c])
            if units > 0 { tryApply(units: one(c, units), leads: []) }
        }
        refill(forbiddenCandidate: -1, forbiddenPair: -1, needs: region.map { inRegion in needOrder.filter { inRegion[f.unmetColumns[$0]] } })
        improve(passes: passes, within: area)
        return true
    }

    // MARK: - A plan put in whole

    /// Puts `plan` (a whole plan of the model, in whole numbers) in the state as it is, without checking
    /// rows; false when it is not whole numbers or not of the model's size.
    mutating func load(_ plan: [Double]) -> Bool {
        guard plan.count == values.count, plan.allSatisfy({ $0.isFinite && $0 == $0.rounded() }) else { return false }
        values = plan
        for need in needSupplied.indices { needSupplied[need] = 0 }
        for p in pairUnits.indices { pairUnits[p] = 0 }
        for (c, x) in candidateColumn.enumerated() {
            let units = Int(plan[x])
            needSupplied[candidateNeed[c]] += units
            pairUnits[candidatePair[c]] += units
        }
        for s in schoolHasLead.indices { schoolHasLead[s] = false }
        for p in pairLead.indices {
            pairHasLead[p] = pairLead[p] >= 0 && plan[pairLead[p]] > 0.5
            if pairHasLead[p] { schoolHasLead[pairSchool[p]] = true }
        }
        settle()
        return true
    }

    /// Takes the work of `pairs` out of the plan (their need units and leads, their pair columns, and the
    /// unmet units that follow), without checking rows: a region's work, before its relaxation is rounded
    /// in. A school left without a lead is led again by `assignLeads`.
    mutating func clear(pairs: [Int]) {
        for p in pairs {
            for c in candidatesOfPair[p] {
                let x = candidateColumn[c]
                let units = Int(values[x].rounded())
                guard units != 0 else { continue }
                values[x] = 0
                needSupplied[candidateNeed[c]] -= units
                values[needUnmetColumn[candidateNeed[c]]] += Double(units)
            }
            pairUnits[p] = 0
            if pairLead[p] >= 0 { values[pairLead[p]] = 0 }
            if pairHasLead[p] {
                pairHasLead[p] = false
                schoolHasLead[pairSchool[p]] = false
            }
            values[pairAssigned[p]] = 0
        }
        settle()
    }

    // MARK: - Undo

    /// Position in the journal of applied moves, to roll back to.
    func mark() -> Int { journal.count }

    /// Where journal entry `e`'s columns, units and leads start: where the entry before it ends.
    private func journalStarts(of e: Int) -> (columns: Int, units: Int, leads: Int) {
        guard e > 0 else { return (0, 0, 0) }
        let previous = journal[e - 1]
        return (previous.columnsEnd, previous.unitsEnd, previous.leadsEnd)
    }

    /// Undoes every move applied since `mark`, newest first.
    mutating func rollback(to mark: Int) {
        while journal.count > mark {
            let entry = journal.removeLast()
            let (columnsStart, unitsStart, leadsStart) = journalStarts(of: journal.count)
            for (j, d) in journalColumns[columnsStart..<entry.columnsEnd] {
                values[j] -= d
                for k in columnStart[j]..<columnStart[j + 1] { activity[Int(entryRow[k])] -= entryValue[k] * d }
            }
            objectiveValue -= entry.gain
            for (c, d) in journalUnits[unitsStart..<entry.unitsEnd] {
                needSupplied[candidateNeed[c]] -= d
                pairUnits[candidatePair[c]] -= d
            }
            setLeadFlags(journalLeads[leadsStart..<entry.leadsEnd], undone: true)
            journalColumns.removeLast(entry.columnsEnd - columnsStart)
            journalUnits.removeLast(entry.unitsEnd - unitsStart)
            journalLeads.removeLast(entry.leadsEnd - leadsStart)
        }
    }

    /// Forgets the journal and recomputes row activities and the objective from the values, so
    /// rounding from many applied and undone moves never accumulates.
    /// Journal length at which an accepted move settles (see `attempt`).
    private var settleAfter: Int { max(256, entryRow.count / 16) }

    private mutating func settle() {
        journal.removeAll(keepingCapacity: true)
        journalColumns.removeAll(keepingCapacity: true)
        journalUnits.removeAll(keepingCapacity: true)
        journalLeads.removeAll(keepingCapacity: true)
        var act = [Double](repeating: 0, count: activity.count)
        var total = 0.0
        for j in 0..<values.count where values[j] != 0 {
            total += objective[j] * values[j]
            for k in columnStart[j]..<columnStart[j + 1] { act[Int(entryRow[k])] += entryValue[k] * values[j] }
        }
        activity = act
        objectiveValue = total
    }

    // MARK: - Phases

    private func missing(_ need: Int) -> Int { needUnits[need] - needSupplied[need] }

    /// Adds as many units as fit for each candidate of pair `p`, highest penalty first.
    private mutating func fillPair(_ p: Int, forbiddenCandidate: Int, level: Double = -.infinity) {
        for c in candidatesOfPairByPenalty[p] where c != forbiddenCandidate && needPenalty[candidateNeed[c]] >= level
            && missing(candidateNeed[c]) > 0 {
            if let (k, m) = largestAddition(c), m.gain > 1e-9 { apply(m, units: one(c, k), leads: []) }
        }
    }

    /// Takes `seed`'s leads, then its need-days, each where the model allows it and it still fits. With
    /// `leadingEverySchoolFirst`, every school still without a lead gets one before the need-days take the
    /// room (a seed that may not fit, as in a what-if: leads cannot go unmet).
    /// Returns the seed's assignments that the model no longer has or that did not fit whole (their lead, or
    /// all their need-days), or nil when a school got no lead.
    @discardableResult
    mutating func take(_ seed: Plan, _ f: AllocationFormulation, leadingEverySchoolFirst: Bool = true) -> [Plan.Assignment]? {
        var byPair: [PairKey: Int] = [:]
        for (k, a) in seed.assignments.enumerated() { byPair[PairKey(adviser: a.adviser, school: a.school)] = k }
        var fits = [Bool](repeating: false, count: seed.assignments.count)
        func assignment(_ adviser: Int, _ school: Int) -> Int? {
            byPair[PairKey(adviser: f.scenario.advisers[adviser].id, school: f.scenario.schools[school].id)]
        }
        for pair in f.pairs { if let k = assignment(pair.adviser, pair.school) { fits[k] = true } }
        for (p, pair) in f.pairs.enumerated() {
            guard pair.lead != nil, let k = assignment(pair.adviser, pair.school), seed.assignments[k].role == .lead else { continue }
            if !tryApply(units: [], leads: [(p, 1)]) { fits[k] = false }
        }
        if leadingEverySchoolFirst { guard assignLeads() else { return nil } }
        for (c, candidate) in f.candidates.enumerated() {
            let pair = f.pairs[candidate.pair]
            guard let k = assignment(pair.adviser, pair.school), let days = seed.assignments[k].days[f.scenario.needs[candidate.need].area] else { continue }
            let wanted = Int((days / f.dayUnit).rounded())
            let units = min(wanted, candidateUnits[c])
            let taken = units > 0 && tryApply(units: one(c, units), leads: [])
            if units < wanted || (units > 0 && !taken) { fits[k] = false }
        }
        return zip(seed.assignments, fits).filter { !$0.1 }.map(\.0)
    }

    /// Pairings the model fixes (required by a change file, or kept with --keep-all-feasible: their columns'
    /// lower bound is 1) go in first: the fixed leads, then for each other fixed pairing a unit of its most
    /// urgent need, or its lead where the school has none. Left to the greedy phases, a lead required of an
    /// adviser the base plan had filled went to another adviser, the plan broke the lead's bound, and the
    /// search had no first plan (generated 1,000 x 150 seed 5, A002 required to lead G000001: no plan in 200 nodes).
    mutating func takeFixedPairings() {
        for p in pairLead.indices where pairLead[p] >= 0 && columnLower[pairLead[p]] >= 0.5 && !pairHasLead[p] {
            tryApply(units: [], leads: [(p, 1)])
        }
        for p in pairAssigned.indices where columnLower[pairAssigned[p]] >= 0.5 && values[pairAssigned[p]] < 0.5 {
            var placed = false
            for c in candidatesOfPairByPenalty[p] where !placed && missing(candidateNeed[c]) > 0 {
                placed = tryApply(units: one(c, 1), leads: [])
            }
            if !placed, pairLead[p] >= 0, !schoolHasLead[pairSchool[p]] { tryApply(units: [], leads: [(p, 1)]) }
        }
    }

    /// Gives every school a lead when the rules require one; false when some school cannot get one.
    /// Most constrained school first; its lead is the adviser whose lead plus work at the school gains most.
    mutating func assignLeads() -> Bool {
        defer { settle() }
        guard requireLead else { return true }
        let before = mark()
        if assignLeads(cheapestFirst: false) { return true }
        // Chosen by score, leads spent a budget 10% over every school's cheapest lead before every school had
        // one (generated 120 x 18 to 430 x 65), and the search had no first plan: where there is a budget,
        // the leads are chosen again, each school's cheapest first.
        guard budgetRow >= 0 else { return false }
        rollback(to: before)
        if assignLeads(cheapestFirst: true) { return true }
        // Each school's cheapest lead need not fit once the cheap advisers are full: a budget within a few per
        // cent of the cheapest leads every school can have at once left the phase without a plan (generated
        // 430 x 65). Those leads themselves go in first, then the phase completes what did not fit.
        guard let cheapest = cheapestLeadPairs() else { return false }
        rollback(to: before)
        for p in cheapest where p >= 0 && !schoolHasLead[pairSchool[p]] { tryApply(units: [], leads: [(p, 1)]) }
        return assignLeads(cheapestFirst: true)
    }

    /// Each school's lead pair in the cheapest leads every school can have at once (-1 where that lead has no
    /// lead column), or nil when there are none.
    func cheapestLeadPairs() -> [Int]? {
        findCheapestLeadAdvisers()?.enumerated().map { s, a in leadPairsOfSchool[s].first { pairAdviser[$0] == a } ?? -1 }
    }

    /// The lead phase (see `assignLeads()`); with `cheapestFirst`, each school's lead is the best by score
    /// among its cheapest options (day rate) that fit.
    private mutating func assignLeads(cheapestFirst: Bool) -> Bool {
        let schools = leadPairsOfSchool.count
        // Each school's possible leads, kept between rounds: a new lead uses only its own adviser's room
        // (and money), so only the schools that adviser could lead need checking again, unless the
        // budget is nearly spent.
        var optionsOf = [[Int]](repeating: [], count: schools)
        var leadPairsOfAdviser = [[Int]](repeating: [], count: adviserCount)
        for s in 0..<schools { for p in leadPairsOfSchool[s] { leadPairsOfAdviser[pairAdviser[p]].append(p) } }
        // Schools still to lead, fewest options first (ties by file order). A school's options are counted
        // again as soon as they may have changed, and pushed again; an entry whose count is no longer the
        // school's is stale and skipped. Scanning every school for the fewest after each lead grew with the
        // square of the programme: three quarters of a 22,000-school solve.
        // A school left with no option is popped first (its count is 0) and led by a chain of moved leads.
        var queue = OpeningQueue()
        func recount(_ s: Int) {
            optionsOf[s] = leadPairsOfSchool[s].filter { move(units: [], leads: [($0, 1)]) != nil }
            queue.push(gain: -Double(optionsOf[s].count), pair: s)
        }
        func recountEverySchool() {
            for s in 0..<schools where !schoolHasLead[s] && !leadPairsOfSchool[s].isEmpty { recount(s) }
        }
        recountEverySchool()
        while true {
            var chosenSchool = -1
            while let top = queue.pop() {
                let s = top.pair
                if schoolHasLead[s] || -top.gain != Double(optionsOf[s].count) { continue }
                chosenSchool = s
                break
            }
            if chosenSchool < 0 { return true }
            if optionsOf[chosenSchool].isEmpty {
                guard let moved = leadByChain(chosenSchool, leadPairsOfAdviser: leadPairsOfAdviser) else { return false }
                // Room changed only for the advisers on the chain (and money, when the budget is nearly spent).
                if budgetNearlySpent {
                    recountEverySchool()
                } else {
                    for a in moved {
                        for p in leadPairsOfAdviser[a] where !schoolHasLead[pairSchool[p]] { recount(pairSchool[p]) }
                    }
                }
                continue
            }
            var best = -1
            var bestScore = -Double.infinity
            var choices = optionsOf[chosenSchool]
            if cheapestFirst, let cheapest = choices.map(leadCost).min() { choices = choices.filter { leadCost($0) <= cheapest + 1e-9 } }
            for p in choices {
                let m = mark(), before = objectiveValue
                guard tryApply(units: [], leads: [(p, 1)]) else { continue }
                fillPair(p, forbiddenCandidate: -1)
                let score = objectiveValue - before
                rollback(to: m)
                if score > bestScore + 1e-9 { best = p; bestScore = score }
            }
            guard best >= 0, tryApply(units: [], leads: [(best, 1)]) else { return false }
            // A new lead uses only its own adviser's room (and money), and room only shrinks here: the
            // options that may have gone are that adviser's own leads, so only those are checked again
            // (one check each, not one per option of every school the adviser could lead: that was 19,000
            // checks per lead and minutes in all on a national model), unless the budget is nearly spent.
            if budgetNearlySpent {
                recountEverySchool()
            } else {
                for p in leadPairsOfAdviser[pairAdviser[best]] where !schoolHasLead[pairSchool[p]] {
                    let s = pairSchool[p]
                    guard let k = optionsOf[s].firstIndex(of: p), move(units: [], leads: [(p, 1)]) == nil else { continue }
                    optionsOf[s].remove(at: k)
                    queue.push(gain: -Double(optionsOf[s].count), pair: s)
                }
            }
        }
    }

    /// Less than one unit or lead's cost is left of the budget: money, not only room, then decides what fits.
    private var budgetNearlySpent: Bool {
        budgetRow >= 0 && activity[budgetRow] > rowUpper[budgetRow] - largestUnitCost - 1e-9
    }

    /// What pair `p`'s lead costs under the budget (0 without one).
    private func leadCost(_ p: Int) -> Double {
        guard budgetRow >= 0, pairLead[p] >= 0 else { return 0 }
        for e in columnStart[pairLead[p]]..<columnStart[pairLead[p] + 1] where Int(entryRow[e]) == budgetRow { return entryValue[e] }
        return 0
    }

    /// Leads `school`, which no adviser has room to lead as things stand, by moving leads along a chain: an
    /// adviser who may lead it hands one of their schools to another adviser, who may hand one of theirs on,
    /// until an adviser with room takes the last (an augmenting path, as in bipartite matching; the chain is
    /// then checked against every row, loads differing by pair). Breadth first, so the shortest chain is
    /// tried first; each adviser joins one chain at most, and the search gives up after `checksAllowed`
    /// chains. Returns the advisers whose leads changed, or nil when no chain was found.
    /// The greedy order alone left a generated 120 x 18 (seed 7) with no first plan, and GLPK took 150
    /// nodes to find one.
    mutating func leadByChain(_ school: Int, leadPairsOfAdviser: [[Int]], checksAllowed: Int = 20_000) -> [Int]? {
        // Each step adds a lead pair; every step after the first takes over a school whose lead pair
        // `handed` the previous step's adviser gives up.
        struct Step { let pair: Int; let handed: Int; let previous: Int }
        var steps: [Step] = []
        var reached = [Bool](repeating: false, count: adviserCount)
        for p in leadPairsOfSchool[school] where !reached[pairAdviser[p]] {
            reached[pairAdviser[p]] = true
            steps.append(Step(pair: p, handed: -1, previous: -1))
        }
        var checks = 0
        var next = 0
        while next < steps.count && checks < checksAllowed {
            let at = next
            next += 1
            var leads: [(pair: Int, delta: Int)] = []
            var advisers: [Int] = []
            var k = at
            while k >= 0 {
                leads.append((steps[k].pair, 1))
                advisers.append(pairAdviser[steps[k].pair])
                if steps[k].handed >= 0 { leads.append((steps[k].handed, -1)) }
                k = steps[k].previous
            }
            checks += 1
            if tryApply(units: [], leads: leads) { return advisers }
            // This adviser lacks room: each school they lead may go on to another adviser.
            let adviser = pairAdviser[steps[at].pair]
            for handed in leadPairsOfAdviser[adviser] where pairHasLead[handed] {
                for p in leadPairsOfSchool[pairSchool[handed]] where !reached[pairAdviser[p]] {
                    reached[pairAdviser[p]] = true
                    steps.append(Step(pair: p, handed: handed, previous: at))
                }
            }
        }
        return nil
    }

    /// Schools (in file order) that need a lead and have none.
    func schoolsWithoutLead() -> [Int] {
        guard requireLead else { return [] }
        return (0..<leadPairsOfSchool.count).filter { !schoolHasLead[$0] && !leadPairsOfSchool[$0].isEmpty }
    }

    /// Leads `school` by an adviser who first gives up need-days elsewhere (least urgent first) until the lead
    /// fits: of the advisers for whom that works, the one whose lead and work at the school then leave the
    /// best objective. Returns the needs whose days were given up, or nil when no adviser can lead it even
    /// with all their need-days given up (their leads fill their room or places).
    mutating func makeRoomToLead(_ school: Int) -> [Int]? {
        settle()
        func lead(_ p: Int, emptied: inout [Int]) -> Bool {
            let given = candidatesOfAdviser[pairAdviser[p]].filter { values[candidateColumn[$0]] > 0.5 }
                .sorted { needPenalty[candidateNeed[$0]] != needPenalty[candidateNeed[$1]]
                    ? needPenalty[candidateNeed[$0]] < needPenalty[candidateNeed[$1]] : $0 < $1 }
            var next = given.makeIterator()
            while !tryApply(units: [], leads: [(p, 1)]) {
                guard let c = next.next() else { return false }
                guard tryApply(units: one(c, -Int(values[candidateColumn[c]].rounded())), leads: []) else { return false }
                emptied.append(candidateNeed[c])
            }
            fillPair(p, forbiddenCandidate: -1)
            return true
        }
        var best: (pair: Int, objective: Double)?
        for p in leadPairsOfSchool[school] {
            let m = mark()
            var emptied: [Int] = []
            if lead(p, emptied: &emptied), best.map({ objectiveValue > $0.objective + 1e-9 }) ?? true { best = (p, objectiveValue) }
            rollback(to: m)
        }
        guard let best else { return nil }
        var emptied: [Int] = []
        _ = lead(best.pair, emptied: &emptied)
        settle()
        return emptied
    }

    /// Adds need units while any fit, one penalty level at a time (highest first), so capacity and
    /// school places go to urgent needs before less urgent ones. Within a level: first from advisers
    /// already at the school (most gain first); then opens the adviser-school pair whose work at that
    /// level gains most, and repeats. The forbidden candidate and pair take no new units (they were
    /// just emptied by a move).
    /// `needs`: only these may gain, in `needOrder` (nil for every need). Filling only uses room, so the
    /// needs that a change cannot help stay as they were, and checking them again is wasted work.
    mutating func refill(forbiddenCandidate: Int, forbiddenPair: Int, needs: [Int]? = nil) {
        // Filling only adds units, so a need met now stays met: the needs still short, once. In `needOrder`,
        // highest penalty first, so each level's needs are the first `levelEnd` of them.
        let short = (needs ?? needOrder).filter { missing($0) > 0 }
        assert(zip(short, short.dropFirst()).allSatisfy { needPenalty[$0] >= needPenalty[$1] }, "needs out of needOrder")
        var levelEnd = 0
        for level in penaltyLevels {
            while levelEnd < short.count && needPenalty[short[levelEnd]] >= level { levelEnd += 1 }
            let order = short[..<levelEnd]
            for need in order {
                while missing(need) > 0 {
                    var best: (c: Int, units: Int, gain: Double)? = nil
                    var bestScore = -Double.infinity
                    for c in candidatesOfNeed[need] where c != forbiddenCandidate && candidatePair[c] != forbiddenPair
                        && values[pairAssigned[candidatePair[c]]] > 0.5 {
                        guard let (k, m) = largestAddition(c) else { continue }
                        // Gain per day of capacity: cover urgent needs with the advisers travelling least.
                        let score = m.gain / (Double(k) * candidateResource[c])
                        if best == nil || score > bestScore + 1e-9 { best = (c, k, m.gain); bestScore = score }
                    }
                    // Weighed again, since later candidates were weighed after it: the state has not changed.
                    guard let chosen = best, chosen.gain > 1e-9,
                          tryApply(units: one(chosen.c, chosen.units), leads: []) else { break }
                }
            }
            // Then open pairs, best gain per day of capacity first. Opening a pair fills it as far as it
            // goes and only uses room, so advisers already at a school have nothing more to give, and a
            // pair's gain can only have shrunk since it was measured (nearly always): re-measure the best
            // one before opening it and put it back if it fell behind the next (lazy greedy). This keeps
            // the work near one measurement per pair instead of one per pair per opening.
            var queue = OpeningQueue()
            // Each closed pair once, in the order the needs meet them: unsorted, since the queue's order
            // depends on gains and pair numbers only, not on the order in which pairs are pushed. `move`'s
            // marks (`pairTouched`) find the repeats, all cleared again before any pair is weighed.
            var openable: [Int] = []
            swap(&openable, &openablePairs)
            openable.removeAll(keepingCapacity: true)
            for need in order where missing(need) > 0 {
                for c in candidatesOfNeed[need] where c != forbiddenCandidate {
                    let p = candidatePair[c]
                    if !pairTouched[p] && values[pairAssigned[p]] < 0.5 { pairTouched[p] = true; openable.append(p) }
                }
            }
            for p in openable { pairTouched[p] = false }
            defer { swap(&openable, &openablePairs) }
            for p in openable {
                guard canOpen(p, forbiddenPair: forbiddenPair) else { continue }
                let gain = openingGain(p, forbiddenCandidate: forbiddenCandidate, level: level)
                if gain > 1e-9 { queue.push(gain: gain, pair: p) }
            }
            while let top = queue.pop() {
                guard canOpen(top.pair, forbiddenPair: forbiddenPair) else { continue }
                let gain = openingGain(top.pair, forbiddenCandidate: forbiddenCandidate, level: level)
                guard gain > 1e-9 else { continue }
                if let next = queue.peek(), gain + 1e-9 < next.gain {
                    queue.push(gain: gain, pair: top.pair)
                    continue
                }
                fillPair(top.pair, forbiddenCandidate: forbiddenCandidate, level: level)
            }
        }
    }

    /// The pair is not yet in the plan and its adviser has a school place left.
    private func canOpen(_ p: Int, forbiddenPair: Int) -> Bool {
        guard p != forbiddenPair && values[pairAssigned[p]] < 0.5 else { return false }
        return pairSlotRow[p] < 0 || activity[pairSlotRow[p]] + 1 <= rowUpper[pairSlotRow[p]] + 1e-9
    }

    /// Objective gained per day of capacity (a school place counted as `slotWeight` days) by opening pair
    /// `p` and filling it; measured by doing it and undoing it.
    private mutating func openingGain(_ p: Int, forbiddenCandidate: Int, level: Double) -> Double {
        let m = mark(), before = objectiveValue
        fillPair(p, forbiddenCandidate: forbiddenCandidate, level: level)
        var used = slotWeight
        for (c, k) in journalUnits[journalStarts(of: m).units...] { used += Double(k) * candidateResource[c] }
        let gain = (objectiveValue - before) / used
        rollback(to: m)
        return gain
    }

    /// Removal of all units at candidate list `cs`.
    private func emptying<Candidates: Sequence<Int>>(_ cs: Candidates) -> [(candidate: Int, delta: Int)] {
        cs.compactMap { c in
            let v = Int(values[candidateColumn[c]].rounded())
            return v > 0 ? (c, -v) : nil
        }
    }

    /// Removal of all units of two advisers, by candidate. Each adviser's candidates are ascending and no candidate
    /// is both's, so sorting the few with units gives what sorting all of both would: with every eligible pair an
    /// adviser of a national programme has over a thousand candidates.
    private func emptying(advisers a: Int, _ b: Int) -> [(candidate: Int, delta: Int)] {
        var both = emptying(candidatesOfAdviser[a]) + emptying(candidatesOfAdviser[b])
        both.sort { $0.candidate < $1.candidate }
        return both
    }

    /// The needs a move can help, of those still short after it: those it took units from, every need its
    /// advisers could work on (they have capacity and school places back) and the needs a new lead's pair can
    /// now supply. When a budget is nearly spent, freed money can help any need: then all of them.
    private mutating func needsHelped(units: [(candidate: Int, delta: Int)], leads: [(pair: Int, delta: Int)]) -> [Int]? {
        if budgetNearlySpent, units.contains(where: { $0.delta < 0 }) || leads.contains(where: { $0.delta < 0 }) {
            return nil
        }
        var ranks: [Int] = []
        // A need met after the move stays met while the refills only add.
        func add(rank r: Int, of need: Int) {
            if !needMarked[need] && missing(need) > 0 { needMarked[need] = true; ranks.append(r) }
        }
        func add(_ need: Int) { add(rank: needRank[need], of: need) }
        var freed: [Int] = []
        for (c, delta) in units where delta < 0 {
            add(candidateNeed[c])
            freed.append(pairAdviser[candidatePair[c]])
        }
        for (p, delta) in leads {
            if delta < 0 { freed.append(pairAdviser[p]) } else { for c in candidatesOfPair[p] { add(candidateNeed[c]) } }
        }
        freed.sort()
        // Each adviser's needs come in rank order, so the sort below mostly merges runs already sorted.
        for (i, a) in freed.enumerated() where i == 0 || freed[i - 1] != a {
            for r in needRanksOfAdviser[a] { add(rank: r, of: needOrder[r]) }
        }
        ranks.sort()
        let needs = ranks.map { needOrder[$0] }
        for need in needs { needMarked[need] = false }
        return needs
    }

    /// Tries a ruin move followed by a refill; keeps it when the objective improves.
    private mutating func attempt(units: [(candidate: Int, delta: Int)], leads: [(pair: Int, delta: Int)],
                                  forbiddenCandidate: Int, forbiddenPair: Int) -> Bool {
        guard !units.isEmpty || !leads.isEmpty, !pastDeadline else { return false }
        let before = objectiveValue
        let m = mark()
        guard tryApply(units: units, leads: leads) else { return false }
        let helped = needsHelped(units: units, leads: leads)
        refill(forbiddenCandidate: forbiddenCandidate, forbiddenPair: forbiddenPair, needs: helped)
        // Then what the emptied candidate or pair can take back. With neither, a second refill would find
        // nothing: filling only takes room, so nothing the first left out can fit later.
        if forbiddenCandidate >= 0 || forbiddenPair >= 0 { refill(forbiddenCandidate: -1, forbiddenPair: -1, needs: helped) }
        if objectiveValue > before + 1e-6 {
            acceptedMoves += 1
            let starts = journalStarts(of: m)
            for (c, _) in journalUnits[starts.units...] { changed(at: pairSchool[candidatePair[c]]) }
            for (p, _) in journalLeads[starts.leads...] { changed(at: pairSchool[p]) }
            // Recomputing every row costs a pass over the whole matrix: once per accepted move that was
            // most of a 22,000-school heuristic. Once the journal holds about a sixteenth of the matrix's
            // entries, the cost per move is a few operations, and rounding still cannot build up.
            if journal.count >= settleAfter { settle() }
            betterPlan?(objectiveValue)
            return true
        }
        rollback(to: m)
        return false
    }

    /// Marks the work at `school` changed by the latest accepted move, for the "don't look" marks.
    private mutating func changed(at school: Int) {
        guard schoolChangedAt[school] != acceptedMoves else { return }
        schoolChangedAt[school] = acceptedMoves
        for a in advisersOfSchool[school] { nearbyChangedAt[a] = acceptedMoves }
    }

    /// True when a move of advisers `a` and `b` last tried at `triedAt` may now go differently.
    private func worthTrying(_ triedAt: Int, _ a: Int, _ b: Int) -> Bool {
        triedAt < max(everythingChangedAt, nearbyChangedAt[a], nearbyChangedAt[b])
    }

    /// - Parameter area: moves only within these schools and the advisers whose work is all there (nil: the
    ///   whole plan). What a move gives up may still be refilled wherever the room it frees can help.
    mutating func improve(passes: Int, within area: (schools: [Bool], advisers: [Bool])? = nil) {
        settle()
        acceptedMoves += 1
        everythingChangedAt = acceptedMoves
        let inSchool = area?.schools, inAdviser = area?.advisers
        for _ in 0..<passes {
            var improved = false
            // 1. Empty one need assignment; its units go elsewhere or its adviser takes other work.
            // Past the deadline every attempt is refused: skip building its arguments too (an emptying of two
            // advisers' candidates for each of millions of neighbour pairs took minutes on a national model).
            for c in 0..<candidateColumn.count where !deadlinePassed && values[candidateColumn[c]] > 0.5
                && inSchool?[pairSchool[candidatePair[c]]] != false {
                if attempt(units: emptying([c]), leads: [], forbiddenCandidate: c, forbiddenPair: -1) { improved = true }
            }
            // 2. Empty a whole pair without a lead, freeing one of the adviser's schools.
            for p in 0..<pairAssigned.count where !deadlinePassed && values[pairAssigned[p]] > 0.5 && !pairHasLead[p]
                && inSchool?[pairSchool[p]] != false {
                if attempt(units: emptying(candidatesOfPair[p]), leads: [], forbiddenCandidate: -1, forbiddenPair: p) { improved = true }
            }
            // 3. Empty all need units of one school, or of one adviser (leads stay), and refill.
            for school in 0..<leadPairsOfSchool.count where !deadlinePassed && inSchool?[school] != false {
                if attempt(units: emptying(candidatesOfSchool[school]), leads: [], forbiddenCandidate: -1, forbiddenPair: -1) { improved = true }
            }
            for adviser in 0..<adviserCount where !deadlinePassed && inAdviser?[adviser] != false {
                if attempt(units: emptying(candidatesOfAdviser[adviser]), leads: [], forbiddenCandidate: -1, forbiddenPair: -1) { improved = true }
            }
            // Two advisers with no school in common cannot trade work: emptying both is two single moves.
            for (k, (a, b)) in adviserNeighbours.enumerated() where !deadlinePassed && inAdviser.map({ $0[a] && $0[b] }) != false {
                guard worthTrying(neighboursEmptiedTriedAt[k], a, b) else { continue }
                neighboursEmptiedTriedAt[k] = acceptedMoves
                if attempt(units: emptying(advisers: a, b), leads: [], forbiddenCandidate: -1, forbiddenPair: -1) { improved = true }
            }
            // 4. Move a school's lead to another adviser, keeping or dropping the old lead's need units.
            for s in 0..<leadPairsOfSchool.count where !deadlinePassed && inSchool?[s] != false {
                guard let current = leadPairsOfSchool[s].first(where: { pairHasLead[$0] }) else { continue }
                for q in leadPairsOfSchool[s] where q != current && !deadlinePassed {
                    guard pairHasLead[current] else { break }
                    guard worthTrying(leadHandedTriedAt[q], pairAdviser[current], pairAdviser[q]) else { continue }
                    leadHandedTriedAt[q] = acceptedMoves
                    if attempt(units: [], leads: [(current, -1), (q, 1)], forbiddenCandidate: -1, forbiddenPair: -1) {
                        improved = true
                        continue
                    }
                    let drop = emptying(candidatesOfPair[current])
                    if !drop.isEmpty, attempt(units: drop, leads: [(current, -1), (q, 1)], forbiddenCandidate: -1, forbiddenPair: current) {
                        improved = true
                        continue
                    }
                    // The new lead may need room: empty all need units of both advisers and refill.
                    if attempt(units: emptying(advisers: pairAdviser[current], pairAdviser[q]), leads: [(current, -1), (q, 1)],
                               forbiddenCandidate: -1, forbiddenPair: -1) {
                        improved = true
                    }
                }
            }
            // 5. Optional leads: add one where it pays (a continuity bonus larger than its travel).
            if !requireLead {
                for s in 0..<leadPairsOfSchool.count where !schoolHasLead[s] {
                    for p in leadPairsOfSchool[s] where !schoolHasLead[s] && objective[pairLead[p]] > 0 {
                        if attempt(units: [], leads: [(p, 1)], forbiddenCandidate: -1, forbiddenPair: -1) { improved = true }
                    }
                }
            }
            if !improved || deadlinePassed { break }
        }
        settle()
    }
}

/// Pairs to open, largest gain first, then lowest pair index (so the order never depends on insertion).
struct OpeningQueue {
    private var items: [(gain: Double, pair: Int)] = []

    private static func before(_ a: (gain: Double, pair: Int), _ b: (gain: Double, pair: Int)) -> Bool {
        a.gain != b.gain ? a.gain > b.gain : a.pair < b.pair
    }

    func peek() -> (gain: Double, pair: Int)? { items.first }

    mutating func push(gain: Double, pair: Int) {
        items.append((gain, pair))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard OpeningQueue.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (gain: Double, pair: Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, OpeningQueue.before(items[l], items[best]) { best = l }
            if r < items.count, OpeningQueue.before(items[r], items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}

// MARK: - Two halves at once

extension StartingPlanSearch {
    /// The programme's schools and advisers in two halves that share no eligible pair, each with about half
    /// of the need assignments, and the first half's share of that work; nil when no such split exists (one
    /// region holds most of the work). `largestShare` is the most one half may hold: beyond it the second
    /// core would wait on the first.
    func halves(largestShare: Double = 0.65) -> (schools: [Bool], advisers: [Bool], share: Double)? {
        let schoolCount = leadPairsOfSchool.count
        guard schoolCount > 1, adviserCount > 1 else { return nil }
        // Schools joined through the advisers they share.
        var parent = Array(0..<schoolCount)
        func root(_ s: Int) -> Int {
            var s = s
            while parent[s] != s { parent[s] = parent[parent[s]]; s = parent[s] }
            return s
        }
        var schoolOfAdviser = [Int](repeating: -1, count: adviserCount)
        for p in pairAssigned.indices {
            let a = pairAdviser[p], s = pairSchool[p]
            if schoolOfAdviser[a] < 0 { schoolOfAdviser[a] = s; continue }
            let x = root(schoolOfAdviser[a]), y = root(s)
            if x != y { parent[max(x, y)] = min(x, y) }
        }
        var work = [Int](repeating: 0, count: schoolCount)
        for s in 0..<schoolCount { work[root(s)] += 1 + candidatesOfSchool[s].count }
        let total = work.reduce(0, +)
        // Largest region first into the lighter half (ties to the first half, then by school order).
        let regions = (0..<schoolCount).filter { root($0) == $0 }.sorted { (work[$0], -$0) > (work[$1], -$1) }
        var inFirst = [Bool](repeating: false, count: schoolCount)
        var firstWork = 0, secondWork = 0
        for r in regions {
            if firstWork <= secondWork { inFirst[r] = true; firstWork += work[r] } else { secondWork += work[r] }
        }
        guard Double(max(firstWork, secondWork)) <= largestShare * Double(total) else { return nil }
        let schools = (0..<schoolCount).map { inFirst[root($0)] }
        let advisers = (0..<adviserCount).map { schoolOfAdviser[$0] >= 0 && inFirst[root(schoolOfAdviser[$0])] }
        return (schools, advisers, Double(firstWork) / Double(max(1, total)))
    }

    /// `improve(passes:)`, with the two halves of a programme that splits (`halves`) improved side by side on
    /// two threads, each from this plan, and their plans joined. Moves within a half touch only its own
    /// columns, so the joined plan is the one each half reached, except that a budget is shared: each half
    /// may then spend only its part of what the plan leaves (by its share of the work), and a budget nearly
    /// spent keeps the search on one thread. Returns false, having improved on one thread, when the
    /// programme does not split.
    @discardableResult
    mutating func improveInHalves(passes: Int) -> Bool {
        settle()
        guard let split = halves() else { improve(passes: passes); return false }
        let first = (schools: split.schools, advisers: split.advisers)
        let second = (schools: split.schools.map { !$0 }, advisers: split.advisers.map { !$0 })
        var one = self, other = self
        if budgetRow >= 0, rowUpper[budgetRow].isFinite {
            let limit = rowUpper[budgetRow], spent = activity[budgetRow], left = limit - spent
            guard left >= 0.05 * abs(limit) else { improve(passes: passes); return false }
            one.rowUpper[budgetRow] = spent + left * split.share
            other.rowUpper[budgetRow] = spent + left * (1 - split.share)
        }
        let start = values, startObjective = objectiveValue
        // Each half's plan counts the other half as it started: the whole's objective is both gains added.
        let reporter = betterPlan.map { HalvesReporter(start: startObjective, report: $0) }
        one.betterPlan = reporter.map { r in { r.half(0, $0) } }
        other.betterPlan = reporter.map { r in { r.half(1, $0) } }
        let box = SearchBox(other)
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.search.improve(passes: passes, within: second)
            done.signal()
        }.start()
        one.improve(passes: passes, within: first)
        done.wait()
        other = box.search
        var joined = one
        for j in start.indices where other.values[j] != start[j] { joined.values[j] = other.values[j] }
        for n in needSupplied.indices where other.needSupplied[n] != needSupplied[n] { joined.needSupplied[n] = other.needSupplied[n] }
        for p in pairUnits.indices {
            if other.pairUnits[p] != pairUnits[p] { joined.pairUnits[p] = other.pairUnits[p] }
            if other.pairHasLead[p] != pairHasLead[p] { joined.pairHasLead[p] = other.pairHasLead[p] }
        }
        for s in schoolHasLead.indices where other.schoolHasLead[s] != schoolHasLead[s] { joined.schoolHasLead[s] = other.schoolHasLead[s] }
        joined.rowUpper = rowUpper
        joined.betterPlan = betterPlan
        joined.settle()
        self = joined
        return true
    }
}

/// The search of the second half, handed to its thread and back.
private final class SearchBox: @unchecked Sendable {
    var search: StartingPlanSearch
    init(_ search: StartingPlanSearch) { self.search = search }
}

/// Reports the whole plan's objective while two halves improve it on their own threads.
private final class HalvesReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let start: Double
    private var latest: [Double]
    private let report: (Double) -> Void
    init(start: Double, report: @escaping (Double) -> Void) {
        self.start = start
        latest = [start, start]
        self.report = report
    }
    func half(_ h: Int, _ objective: Double) {
        lock.withLock {
            latest[h] = objective
            report(latest[0] + latest[1] - start)
        }
    }
}
