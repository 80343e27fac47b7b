import Foundation
import Testing

@testable import GLPK

// Problem-level tests run on a fresh thread (GLPKSolver.onDedicatedThread):
// GLPK state is per thread, and an internal error in one test must not
// invalidate problems of another test that happens to share a pool thread.

// MARK: - Fixtures

/// max 3x + 2y  s.t.  c1: x + y <= 4,  c2: x + 3y <= 9,  0 <= x <= 3, y >= 0.
/// Optimum x = 3, y = 1, objective 11; c1 binding with dual 2, c2 slack (dual 0).
func smallLP() -> LinearModel {
    LinearModel(
        name: "small", direction: .maximize,
        columns: [Column(name: "x", upper: 3, objective: 3), Column(name: "y", objective: 2)],
        rows: [Row(name: "c1", upper: 4), Row(name: "c2", upper: 9)],
        coefficients: [
            Coefficient(row: 0, column: 0, value: 1), Coefficient(row: 0, column: 1, value: 1),
            Coefficient(row: 1, column: 0, value: 1), Coefficient(row: 1, column: 1, value: 3),
        ])
}

/// 0-1 knapsack; optimum picks items 1...4 (weight 8, value 15).
let knapsackWeights: [Double] = [12, 2, 1, 1, 4]
let knapsackValues: [Double] = [4, 2, 1, 2, 10]

func knapsack(
    weights: [Double] = knapsackWeights, values: [Double] = knapsackValues, capacity: Double = 15,
    direction: OptimizationDirection = .maximize
) -> LinearModel {
    let sign = direction == .maximize ? 1.0 : -1.0
    return LinearModel(
        name: "knapsack", direction: direction,
        columns: values.indices.map { Column(name: "item\($0)", kind: .binary, objective: sign * values[$0]) },
        rows: [Row(name: "capacity", upper: capacity)],
        coefficients: weights.indices.map { Coefficient(row: 0, column: $0, value: weights[$0]) })
}

/// Exhaustive knapsack optimum, to check the solver independently.
func bruteForceKnapsack(weights: [Double], values: [Double], capacity: Double) -> Double {
    var best = 0.0
    for mask in 0..<(1 << weights.count) {
        var w = 0.0, v = 0.0
        for i in weights.indices where mask & (1 << i) != 0 { w += weights[i]; v += values[i] }
        if w <= capacity { best = max(best, v) }
    }
    return best
}

/// A multi-constraint 0-1 problem big enough that branch-and-bound takes a while.
func hardMIP(items: Int = 70, constraints: Int = 8, seed: UInt64 = 42) -> LinearModel {
    var state = seed
    func next() -> Double {  // xorshift: deterministic, no Foundation randomness
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state % 1000) / 10 + 1
    }
    var coefficients: [Coefficient] = []
    var rows: [Row] = []
    for i in 0..<constraints {
        var total = 0.0
        for j in 0..<items {
            let w = next()
            total += w
            coefficients.append(Coefficient(row: i, column: j, value: w))
        }
        rows.append(Row(name: "r\(i)", upper: (total / 2).rounded()))
    }
    let columns = (0..<items).map { Column(name: "b\($0)", kind: .binary, objective: next()) }
    return LinearModel(name: "hard", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
}

func isClose(_ a: Double?, _ b: Double, tolerance: Double = 1e-7) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private var progress: [SolveProgress] = []
    func increment() { lock.lock(); value += 1; lock.unlock() }
    func record(_ p: SolveProgress) { lock.lock(); progress.append(p); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    var reports: [SolveProgress] { lock.lock(); defer { lock.unlock() }; return progress }
}

// MARK: - LP

@Test func smallLPOptimumAndDuals() throws {
    for presolve in [true, false] {
        let s = try GLPKSolver.solve(smallLP(), options: SolveOptions(presolve: presolve))
        #expect(s.status == .optimal)
        #expect(isClose(s.objective, 11))
        #expect(isClose(s.bestBound, 11))
        #expect(s.gap == 0)
        #expect(s.columnValues.count == 2)
        #expect(isClose(s.columnValues[0], 3) && isClose(s.columnValues[1], 1))
        #expect(isClose(s.rowValues[0], 4) && isClose(s.rowValues[1], 6))
        #expect(isClose(s.rowDuals[0], 2), "binding row c1 has dual 2")
        #expect(isClose(s.rowDuals[1], 0), "slack row c2 has dual 0")
        #expect(!s.stoppedByTimeLimit)
        #expect(s.log.contains("obj =   1.100000000e+01"), "GLPK output is captured into the log")
    }
}

@Test func objectiveConstantIsIncluded() throws {
    var model = smallLP()
    model.objectiveConstant = 100
    let s = try GLPKSolver.solve(model)
    #expect(isClose(s.objective, 111))
}

@Test func equalityRowsFreeRowsAndFreeColumns() throws {
    // min z  s.t.  link: z - x = -5 (equality),  info: x + z free,  x in [2, 10], z free.
    // Optimum x = 2, z = -3; the free row just reports x + z = -1.
    let model = LinearModel(
        name: "eq", direction: .minimize,
        columns: [Column(name: "x", lower: 2, upper: 10), Column(name: "z", lower: nil, objective: 1)],
        rows: [Row(name: "link", lower: -5, upper: -5), Row(name: "info")],
        coefficients: [
            Coefficient(row: 0, column: 1, value: 1), Coefficient(row: 0, column: 0, value: -1),
            Coefficient(row: 1, column: 0, value: 1), Coefficient(row: 1, column: 1, value: 1),
        ])
    let s = try GLPKSolver.solve(model)
    #expect(s.status == .optimal)
    #expect(isClose(s.objective, -3))
    #expect(isClose(s.columnValues[0], 2) && isClose(s.columnValues[1], -3))
    #expect(isClose(s.rowValues[0], -5) && isClose(s.rowValues[1], -1))
    #expect(isClose(s.rowDuals[0], 1), "raising the equality's rhs raises z one for one")
}

@Test func infeasibleLP() throws {
    let model = LinearModel(
        name: "inf", direction: .minimize,
        columns: [Column(name: "x", objective: 1), Column(name: "y", objective: 1)],
        rows: [Row(name: "atLeast5", lower: 5), Row(name: "atMost3", upper: 3)],
        coefficients: [
            Coefficient(row: 0, column: 0, value: 1), Coefficient(row: 0, column: 1, value: 1),
            Coefficient(row: 1, column: 0, value: 1), Coefficient(row: 1, column: 1, value: 1),
        ])
    for presolve in [true, false] {
        let s = try GLPKSolver.solve(model, options: SolveOptions(presolve: presolve))
        #expect(s.status == .infeasible)
        #expect(s.objective == nil)
        #expect(s.columnValues.isEmpty)
    }
}

@Test func unboundedLPAndMIP() throws {
    // max x + y  s.t.  x - y <= 1: y (and x) can grow without limit.
    for kind in [ColumnKind.continuous, .integer] {
        let model = LinearModel(
            name: "unb", direction: .maximize,
            columns: [Column(name: "x", kind: kind, objective: 1), Column(name: "y", kind: kind, objective: 1)],
            rows: [Row(name: "r", upper: 1)],
            coefficients: [Coefficient(row: 0, column: 0, value: 1), Coefficient(row: 0, column: 1, value: -1)])
        for presolve in [true, false] {
            let s = try GLPKSolver.solve(model, options: SolveOptions(presolve: presolve))
            #expect(s.status == .unbounded, "kind \(kind), presolve \(presolve)")
            #expect(s.objective == nil)
        }
    }
}

@Test func modelWithoutRows() throws {
    let lp = LinearModel(
        name: "norows", direction: .maximize,
        columns: [Column(name: "x", lower: 1, upper: 5.5, objective: -1), Column(name: "y", kind: .integer, lower: 0, upper: 7.5, objective: 2)])
    let s = try GLPKSolver.solve(lp)
    #expect(s.status == .optimal)
    #expect(isClose(s.objective, -1 + 14), "integer upper bound 7.5 is rounded down to 7")
    #expect(s.columnValues == [1, 7])
    #expect(s.rowValues.isEmpty && s.rowDuals.isEmpty)
}

@Test func emptyModel() throws {
    let s = try GLPKSolver.solve(LinearModel(name: "", direction: .minimize))
    #expect(s.status == .optimal)
    #expect(s.objective == 0)
}

// MARK: - MIP

@Test func knapsackMaximizeAndMinimize() throws {
    let maxSolution = try GLPKSolver.solve(knapsack())
    #expect(maxSolution.status == .optimal)
    #expect(maxSolution.objective == 15)
    #expect(maxSolution.columnValues == [0, 1, 1, 1, 1], "values are exact integers")
    #expect(maxSolution.gap == 0 && maxSolution.bestBound == 15)
    #expect(maxSolution.rowValues == [8])
    #expect(maxSolution.rowDuals.count == 1, "duals of the LP relaxation")

    let minSolution = try GLPKSolver.solve(knapsack(direction: .minimize))
    #expect(minSolution.status == .optimal)
    #expect(minSolution.objective == -15)
    #expect(minSolution.columnValues == [0, 1, 1, 1, 1])
}

@Test func generalIntegerColumns() throws {
    // max 5x + 4y  s.t.  6x + 4y <= 24,  x + 2y <= 6,  x, y integer >= 0.
    // LP optimum (3, 1.5) = 21; integer optimum (4, 0) = 20.
    let model = LinearModel(
        name: "int", direction: .maximize,
        columns: [Column(name: "x", kind: .integer, objective: 5), Column(name: "y", kind: .integer, objective: 4)],
        rows: [Row(name: "a", upper: 24), Row(name: "b", upper: 6)],
        coefficients: [
            Coefficient(row: 0, column: 0, value: 6), Coefficient(row: 0, column: 1, value: 4),
            Coefficient(row: 1, column: 0, value: 1), Coefficient(row: 1, column: 1, value: 2),
        ])
    #expect(model.isInteger)
    for presolve in [true, false] {
        let s = try GLPKSolver.solve(model, options: SolveOptions(presolve: presolve, cuts: .none))
        #expect(s.status == .optimal)
        #expect(s.objective == 20)
        #expect(s.columnValues == [4, 0])
    }
}

@Test func infeasibleMIPWithFeasibleRelaxation() throws {
    // 2x = 1 has the LP solution x = 0.5 but no integer one.
    let model = LinearModel(
        name: "odd", direction: .minimize,
        columns: [Column(name: "x", kind: .integer, lower: 0, upper: 10, objective: 1)],
        rows: [Row(name: "half", lower: 1, upper: 1)],
        coefficients: [Coefficient(row: 0, column: 0, value: 2)])
    let s = try GLPKSolver.solve(model)
    #expect(s.status == .infeasible)
    #expect(s.objective == nil && s.columnValues.isEmpty)
}

@Test func integerColumnWithoutIntegerValueIsInfeasible() throws {
    let model = LinearModel(
        name: "gap", direction: .minimize,
        columns: [Column(name: "x", kind: .integer, lower: 0.2, upper: 0.8, objective: 1)])
    let s = try GLPKSolver.solve(model)
    #expect(s.status == .infeasible)
    #expect(s.log.contains("no integer value"))
}

@Test func startingSolutionKeepsOptimum() throws {
    let feasibleStart: [Double] = [0, 1, 1, 1, 0]  // weight 4, value 5
    let s = try GLPKSolver.solve(knapsack(), options: SolveOptions(startingSolution: feasibleStart))
    #expect(s.status == .optimal)
    #expect(s.objective == 15)
    #expect(s.columnValues == [0, 1, 1, 1, 1])
    #expect(s.log.contains("Starting solution accepted"))

    // Over capacity: must be refused before GLPK (which would accept it blindly).
    let infeasibleStart: [Double] = [1, 1, 1, 1, 1]
    let t = try GLPKSolver.solve(
        knapsack(), options: SolveOptions(startingSolution: infeasibleStart, shouldStop: { true }))
    #expect(t.log.contains("Starting solution ignored"))
    #expect(t.objective != 20, "the infeasible start (value 19 + 1) never becomes the incumbent")
    if let objective = t.objective { #expect(objective <= 15) }

    #expect(throws: GLPKError.self) {
        try GLPKSolver.solve(knapsack(), options: SolveOptions(startingSolution: [1, 0]))
    }
}

@Test func aNodeHeuristicsPlanBecomesTheIncumbentAndAnInfeasibleOneIsNeverOffered() throws {
    // The LP of knapsack() is fractional at the root, so the heuristic runs there.
    let calls = Counter()
    var options = SolveOptions()
    options.nodeHeuristic = NodeHeuristic(every: 1_000_000) { relaxation, _ in
        calls.increment()
        #expect(relaxation.count == 5)
        return [0, 1, 1, 1, 1]  // the optimum, 15
    }
    let s = try GLPKSolver.solve(knapsack(), options: options)
    #expect(s.status == .optimal && s.objective == 15)
    #expect(calls.count == 1, "every 1,000,000th node: the root only")
    #expect(s.log.contains("Node heuristic: 1 runs, 1 plans offered, 1 became the incumbent"), "\(s.log)")

    // Over capacity (value 19): GLPK would take it, as it checks only integrality; it is not offered.
    options.nodeHeuristic = NodeHeuristic { _, _ in [1, 1, 1, 1, 1] }
    let t = try GLPKSolver.solve(knapsack(), options: options)
    #expect(t.status == .optimal && t.objective == 15)
    #expect(t.columnValues == [0, 1, 1, 1, 1])
    #expect(t.log.contains("0 plans offered"), "\(t.log)")
}

@Test func aNodeHeuristicRunsAtEveryNthNodeLP() throws {
    let calls = Counter()
    var options = SolveOptions(cuts: CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false))
    options.nodeLimit = 60
    options.nodeHeuristic = NodeHeuristic(every: 1) { _, _ in calls.increment(); return nil }
    let every = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    let all = calls.count
    #expect(all > 10, "\(every.log)")
    let fewer = Counter()
    options.nodeHeuristic = NodeHeuristic(every: 10) { _, _ in fewer.increment(); return nil }
    _ = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(fewer.count == (all + 9) / 10, "\(all) node LPs, every 10th from the first")
}

@Test func aNodeHeuristicsRootPlanRunsOnceAtTheRootsFirstLP() throws {
    var options = SolveOptions(cuts: CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false))
    options.nodeLimit = 60
    let atRoot = Counter(), later = Counter()
    var heuristic = NodeHeuristic(every: 10) { _, _ in later.increment(); return nil }
    heuristic.atRoot = { relaxation, _ in
        #expect(later.count == 0, "the root's LP comes first")
        #expect(relaxation.count == 40)
        atRoot.increment()
        return nil
    }
    options.nodeHeuristic = heuristic
    _ = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(atRoot.count == 1)
    // The same every-10th runs as without it, less the first, which the root's plan took.
    let plain = Counter()
    options.nodeHeuristic = NodeHeuristic(every: 10) { _, _ in plain.increment(); return nil }
    _ = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(later.count == plain.count - 1, "\(later.count) after the root, \(plain.count) in all without it")
}

@Test func aSearchWithoutABetterPlanForStallSecondsStops() throws {
    var options = SolveOptions(cuts: CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false))
    options.startingSolution = [Double](repeating: 0, count: 40)
    options.nodeLimit = 200_000  // a safety net: the stall, not the limit, must end it
    options.stallSeconds = 1e-9
    let stalled = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(stalled.stoppedByStall && !stalled.stoppedByNodeLimit && stalled.status == .feasible)
    #expect(stalled.nodes < 200_000)
    #expect((stalled.objective ?? -1) >= 0 && stalled.gap != nil)
    options.stallSeconds = nil
    options.nodeLimit = 60
    let limited = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(!limited.stoppedByStall && limited.stoppedByNodeLimit)
}

/// Advisers' capacities against schools' single places, maximised: 30 x 400 = 12,000 columns, so the
/// relaxation goes to the dual simplex (`Problem.dualSimplexColumns`) and takes hundreds of iterations.
private func placesModel(agents: Int = 30, places: Int = 400, seed: UInt64 = 11) -> LinearModel {
    var random = TestRandom(seed: seed)
    var columns: [Column] = [], coefficients: [Coefficient] = []
    var rows = (0..<places).map { Row(name: "place\($0)", upper: 1) }
    rows += (0..<agents).map { Row(name: "agent\($0)", upper: Double(places) * 12 / Double(agents) * 0.6) }
    for i in 0..<agents {
        for j in 0..<places {
            columns.append(Column(name: "x\(i)_\(j)", kind: .binary, objective: 10 + random.below(40)))
            coefficients.append(Coefficient(row: j, column: columns.count - 1, value: 1))
            coefficients.append(Coefficient(row: places + i, column: columns.count - 1, value: 5 + random.below(15)))
        }
    }
    return LinearModel(name: "places", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
}

/// A relaxation that takes longer than the stall time stops as a stalled tree does: the starting plan is
/// the answer, marked as stalled (so a neighbourhood search takes over), with a bound from the unfinished
/// relaxation's multipliers that holds against the relaxation's own optimum. (A millisecond, against the
/// hundreds of dual simplex iterations this relaxation takes.)
@Test func aRelaxationLongerThanTheStallTimeHandsOverTheStartingPlan() throws {
    let model = placesModel()
    var relaxation = model
    relaxation.columns = model.columns.map { Column(name: $0.name, kind: .continuous, lower: 0, upper: 1, objective: $0.objective) }
    let relaxed = try GLPKSolver.solve(relaxation)
    let optimum = try #require(relaxed.objective)
    var options = SolveOptions(startingSolution: [Double](repeating: 0, count: model.columns.count))
    options.stallSeconds = 1e-9
    let stalled = try GLPKSolver.solve(model, options: options)
    #expect(stalled.log.contains("The relaxation did not finish in 1e-09 s"), "\(stalled.log)")
    #expect(stalled.status == .feasible && stalled.stoppedByStall && !stalled.stoppedByTimeLimit)
    #expect(stalled.objective == 0 && stalled.nodes == 0)
    let bound = try #require(stalled.bestBound)
    #expect(bound >= optimum - 1e-6, "\(bound) against the relaxation's \(optimum)")
    // Given longer for its relaxation than its stall time, the search gets past the root with the same start.
    var patient = options
    patient.relaxationSeconds = 600
    patient.nodeLimit = 1
    let searched = try GLPKSolver.solve(model, options: patient)
    #expect(!searched.log.contains("The relaxation did not finish") && searched.nodes >= 1, "\(searched.log)")
    let rootBound = try #require(searched.bestBound)
    #expect(rootBound <= optimum + 1e-6 && rootBound < bound, "maximising: the finished root's bound \(rootBound) is tighter")
    // A start that is not a plan is not kept: the relaxation runs to its end.
    var notAPlan = options
    notAPlan.startingSolution = [Double](repeating: 1, count: model.columns.count)  // every adviser in every place
    let unchecked = try GLPKSolver.solve(model, options: notAPlan)
    #expect(unchecked.log.contains("Starting solution ignored") && !unchecked.log.contains("The relaxation did not finish"),
            "\(unchecked.log)")
    #expect(!unchecked.stoppedByTimeLimit)
    // With a search to take over, the rest of the time improves the plan.
    options.timeLimitSeconds = 600
    let search = NeighbourhoodSearch(groupings: [(0..<30).map { i in Array(i * 400 ..< i * 400 + 400) }], rounds: 3, initialGroups: 1)
    options.stallSearch = { search }
    let handedOver = try GLPKSolver.solve(model, options: options)
    #expect(handedOver.log.contains("branch-and-bound stopped and the neighbourhood search had the remaining"))
    #expect(model.isIntegralAndFeasible(handedOver.columnValues) && (handedOver.objective ?? 0) > 0)
}

/// Infeasible and unbounded models large enough for the dual simplex (`Problem.dualSimplexColumns`) are
/// classified as the small ones are, with and without the presolver. (The dual simplex stops without an
/// answer on the unbounded one, having found no dual feasible basis; it was reported as "no solution".)
@Test func largeInfeasibleAndUnboundedModelsAreClassified() throws {
    let places = placesModel()
    var infeasible = places
    // Every place filled twice over: each place row allows one.
    infeasible.rows.append(Row(name: "tooMany", lower: 2 * 400))
    infeasible.coefficients += places.columns.indices.map { Coefficient(row: places.rows.count, column: $0, value: 1) }
    // A column that earns and loosens the last adviser's capacity as it grows: no optimum.
    var unbounded = places
    unbounded.columns.append(Column(name: "free", kind: .continuous, objective: 1))
    unbounded.coefficients.append(Coefficient(row: places.rows.count - 1, column: places.columns.count, value: -1))
    for presolve in [true, false] {
        #expect(try GLPKSolver.solve(infeasible, options: SolveOptions(presolve: presolve)).status == .infeasible, "presolve \(presolve)")
        let u = try GLPKSolver.solve(unbounded, options: SolveOptions(presolve: presolve))
        #expect(u.status == .unbounded, "presolve \(presolve): \(u.status) \(u.log)")
    }
}

@Test func startingSolutionIsKeptWhenStoppedImmediately() throws {
    // Stopping at once leaves exactly the provided incumbent (all zero, value 0).
    let s = try GLPKSolver.solve(
        hardMIP(items: 20, constraints: 3),
        options: SolveOptions(startingSolution: [Double](repeating: 0, count: 20), shouldStop: { true }))
    #expect(s.status == .feasible)
    #expect(s.objective == 0)
    #expect(s.columnValues == [Double](repeating: 0, count: 20))
    #expect(s.gap != nil && s.gap! > 0)
}

@Test func shouldStopImmediately() throws {
    let polls = Counter()
    let s = try GLPKSolver.solve(
        hardMIP(), options: SolveOptions(shouldStop: { polls.increment(); return true }))
    #expect(polls.count >= 1)
    #expect(s.status == .feasible || s.status == .noSolution)
    #expect(!s.stoppedByTimeLimit)
    if s.status == .feasible {
        let gap = try #require(s.gap)
        #expect(gap >= 0)
        #expect(s.columnValues.count == 70)
    } else {
        #expect(s.objective == nil && s.columnValues.isEmpty)
    }
}

@Test func progressIsReported() throws {
    let counter = Counter()
    let s = try GLPKSolver.solve(
        knapsack(), options: SolveOptions(progress: { counter.record($0) }, progressInterval: 0))
    #expect(s.status == .optimal && s.objective == 15)
    let reports = counter.reports
    #expect(!reports.isEmpty, "interval 0 reports at the first callback")
    for r in reports {
        #expect(r.elapsedSeconds >= 0)
        if let incumbent = r.incumbent { #expect(incumbent <= 15 + 1e-9) }
        if let bound = r.bound {
            #expect(bound >= 15 - 1e-9, "a maximization bound never drops below the optimum")
            #expect(bound <= 19 + 1e-9, "nor exceeds the sum of all values (no DBL_MAX placeholders)")
        }
        if let gap = r.gap { #expect(gap >= 0) }
    }
}

@Test func timeLimitStatusIsConsistent() throws {
    let s = try GLPKSolver.solve(hardMIP(items: 120, constraints: 10), options: SolveOptions(timeLimitSeconds: 0.2))
    #expect(s.seconds < 30, "the limit is honoured (very generous margin)")
    switch s.status {
    case .optimal:
        #expect(s.gap == 0 && !s.stoppedByTimeLimit)
        #expect(s.objective == s.bestBound)
    case .feasible:
        let objective = try #require(s.objective)
        let bound = try #require(s.bestBound)
        let gap = try #require(s.gap)
        #expect(bound >= objective, "maximization bound is at least the incumbent")
        #expect(abs(gap - abs(objective - bound) / (1e-9 + abs(objective))) < 1e-12)
        #expect(s.columnValues.allSatisfy { $0 == 0 || $0 == 1 })
    case .noSolution:
        #expect(s.objective == nil && s.columnValues.isEmpty)
        #expect(s.stoppedByTimeLimit)
    default:
        Issue.record("unexpected status \(s.status)")
    }
}

@Test func relativeGapStopsWithConsistentGap() throws {
    let s = try GLPKSolver.solve(hardMIP(items: 40, constraints: 4), options: SolveOptions(relativeGap: 0.5))
    #expect(s.status == .feasible || s.status == .optimal)
    let gap = try #require(s.gap)
    #expect(gap <= 0.5 + 1e-9)
}

// MARK: - Internal errors

@Test func duplicateCoefficientIsCaughtAndEnvironmentRecovers() throws {
    let duplicate = {
        var m = smallLP()
        m.coefficients.append(Coefficient(row: 0, column: 1, value: 5))  // (c1, y) twice
        return m
    }()

    try GLPKSolver.onDedicatedThread {
        let old = try Problem(smallLP())
        #expect(try old.solve().objective == 11)

        do {
            _ = try Problem(duplicate)
            Issue.record("duplicate coefficient was not reported")
        } catch GLPKError.internalError(let message) {
            #expect(message.contains("duplicate"), "message: \(message)")
        }

        // The env was freed: the old problem refuses to touch its glp_prob...
        #expect(throws: GLPKError.problemInvalidated) { try old.solve() }
        #expect(throws: GLPKError.problemInvalidated) { try old.writeLP(to: "/tmp/never-written.lp") }
        // ...and a new one on the same thread works.
        let fresh = try Problem(smallLP())
        let s = try fresh.solve()
        #expect(s.status == .optimal && s.objective == 11)
        let k = try Problem(knapsack()).solve()
        #expect(k.objective == 15)
        _ = old  // released here: deinit must not touch the freed glp_prob
    }

    #expect(throws: GLPKError.self) { try GLPKSolver.solve(duplicate) }
    do {
        _ = try GLPKSolver.solve(duplicate)
    } catch GLPKError.internalError(let message) {
        #expect(message.contains("duplicate"))
    }
    #expect(try GLPKSolver.solve(smallLP()).objective == 11)
}

// MARK: - Validation

@Test func invalidModelsAreRejectedBeforeGLPK() throws {
    func expectInvalid(_ model: LinearModel, mentions text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try GLPKSolver.solve(model)
            Issue.record("accepted an invalid model", sourceLocation: sourceLocation)
        } catch GLPKError.invalidModel(let message) {
            #expect(message.contains(text), "message: \(message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("wrong error \(error)", sourceLocation: sourceLocation)
        }
    }
    var m = smallLP()
    m.coefficients[2].value = .nan
    expectInvalid(m, mentions: "column 0 'x'")

    m = smallLP()
    m.columns[1].lower = 5
    m.columns[1].upper = 1
    expectInvalid(m, mentions: "column 1 'y'")

    m = smallLP()
    m.rows[1].lower = 10
    expectInvalid(m, mentions: "row 1 'c2'")

    m = smallLP()
    m.coefficients.append(Coefficient(row: 2, column: 0, value: 1))
    expectInvalid(m, mentions: "row index 2")

    m = smallLP()
    m.coefficients.append(Coefficient(row: 0, column: -1, value: 1))
    expectInvalid(m, mentions: "column index -1")

    m = smallLP()
    m.columns[0].upper = .infinity
    expectInvalid(m, mentions: "column 0 'x'")

    m = smallLP()
    m.columns[0].objective = .nan
    expectInvalid(m, mentions: "objective")

    #expect(throws: GLPKError.self) {
        try GLPKSolver.solve(smallLP(), options: SolveOptions(timeLimitSeconds: -1))
    }
}

@Test func awkwardNamesAreSanitized() throws {
    var m = smallLP()
    m.columns[0].name = String(repeating: "é", count: 300)  // 600 bytes
    m.rows[0].name = "line\nbreak"
    let s = try GLPKSolver.solve(m)
    #expect(s.objective == 11)
    #expect(Problem.glpkName(m.columns[0].name).utf8.count <= 255)
    #expect(Problem.glpkName("line\nbreak") == "line_break")
}

// MARK: - Files

@Test func writesLPAndMPSAtomically() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let lp = dir.appendingPathComponent("model.lp").path
    let mps = dir.appendingPathComponent("model.mps").path
    try "old content".write(toFile: lp, atomically: false, encoding: .utf8)

    let s = try GLPKSolver.solve(knapsack(), writeLP: lp, writeMPS: mps)
    #expect(s.objective == 15)

    let lpText = try String(contentsOfFile: lp, encoding: .utf8)
    #expect(lpText.contains("Maximize"))
    #expect(lpText.contains("capacity") && lpText.contains("item4"))
    #expect(!lpText.contains("old content"), "existing file is replaced")
    let mpsText = try String(contentsOfFile: mps, encoding: .utf8)
    #expect(mpsText.contains("ROWS") && mpsText.contains("capacity") && mpsText.contains("item0"))

    let contents = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(contents == ["model.lp", "model.mps"], "no temporary files left behind")

    let size = try readMPSSize(path: mps)
    #expect(size.rows == 1, "the objective row becomes the objective again")
    #expect(size.columns == 5)
    #expect(size.nonzeros == 5)

    let glpsol = "/usr/bin/glpsol"
    if FileManager.default.isExecutableFile(atPath: glpsol) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: glpsol)
        let out = dir.appendingPathComponent("out.txt").path
        process.arguments = ["--lp", lp, "-o", out]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try String(contentsOfFile: out, encoding: .utf8)
        #expect(report.contains("INTEGER OPTIMAL"))
        #expect(report.contains("obj = 15"))
    }
}

@Test func writeFailureIsReported() throws {
    let path = "/nonexistent-dir-\(UUID().uuidString)/model.lp"
    do {
        _ = try GLPKSolver.solve(smallLP(), writeLP: path)
        Issue.record("write to a missing directory succeeded")
    } catch GLPKError.writeFailed(let failedPath, let message) {
        #expect(failedPath == path)
        #expect(!message.isEmpty)
    }
}

// MARK: - Threads

@Test func concurrentSolvesOnManyThreads() throws {
    let capacities: [Double] = [3, 5, 8, 10, 13, 15, 17, 20]
    let weights: [Double] = [12, 2, 1, 1, 4, 7, 3, 5, 6, 9]
    let values: [Double] = [4, 2, 1, 2, 10, 8, 3, 6, 7, 9]
    let results = ResultsBox(count: capacities.count)
    DispatchQueue.concurrentPerform(iterations: capacities.count) { i in
        let s = try? GLPKSolver.solve(knapsack(weights: weights, values: values, capacity: capacities[i]))
        results.set(i, s?.objective)
    }
    for (i, capacity) in capacities.enumerated() {
        #expect(results.get(i) == bruteForceKnapsack(weights: weights, values: values, capacity: capacity), "capacity \(capacity)")
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Double?) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> Double? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

@Test func problemCanBeSolvedTwice() throws {
    try GLPKSolver.onDedicatedThread {
        let p = try Problem(knapsack())
        #expect(try p.solve().objective == 15)
        #expect(try p.solve(SolveOptions(presolve: false)).objective == 15)
    }
}

@Test func usingAProblemOnAnotherThreadIsRefused() throws {
    // Sync test body: no suspension point, so creation and deinit share a thread.
    nonisolated(unsafe) let problem = try Problem(smallLP())
    let outcome = ResultsBox(count: 1)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        do {
            _ = try problem.solve()
            outcome.set(0, 0)
        } catch GLPKError.invalidModel(let message) {
            outcome.set(0, message.contains("thread") ? 1 : 2)
        } catch {
            outcome.set(0, 3)
        }
        done.signal()
    }
    thread.start()
    done.wait()
    #expect(outcome.get(0) == 1, "misuse throws instead of corrupting another thread's GLPK state")
    #expect(try problem.solve().objective == 11, "still usable on its own thread")
}

/// Near a time limit the shim picks the branching variable itself instead of letting pseudocost branching
/// solve two LPs per candidate. Whether a run gets there depends on the machine (here three of these four
/// runs did); whichever way it went, the plan must keep every row and stay whole.
@Test func branchingChosenNearTheTimeLimitKeepsPlansValid() throws {
    let model = hardMIP(items: 400, constraints: 30)
    for limit in [0.05, 0.1, 0.2, 0.4] {
        var options = SolveOptions(timeLimitSeconds: limit)
        options.branching = .pseudocost
        let s = try GLPKSolver.solve(model, options: options)
        guard s.status == .feasible || s.status == .optimal else { continue }
        #expect(s.columnValues.allSatisfy { $0 == 0 || $0 == 1 })
        for (i, activity) in model.rowActivities(s.columnValues).enumerated() {
            #expect(activity <= model.rows[i].upper! + 1e-9)
        }
    }
}

@Test func versionIsReported() {
    #expect(GLPKSolver.version.hasPrefix("5."))
}

@Test func aStartingSolutionIsAnAnswerWhenTimeRunsOutFirst() throws {
    // With a limit far below what the relaxation of 400 items needs, the search usually stops before GLPK
    // sees the start; either way the start (all zero, value 0) or something better must come back.
    for limit in [0.000_001, 0.001] {
        let s = try GLPKSolver.solve(
            hardMIP(items: 400, constraints: 30),
            options: SolveOptions(timeLimitSeconds: limit, startingSolution: [Double](repeating: 0, count: 400)))
        #expect(s.status == .feasible || s.status == .optimal)
        #expect((s.objective ?? -1) >= 0)
        #expect(s.columnValues.count == 400)
    }
}

// MARK: - Bounds from row multipliers

@Test func dualBoundIsTheLPOptimumAtTheOptimalDualsAndValidForAnyOthers() throws {
    try GLPKSolver.onDedicatedThread {
        let lp = try Problem(smallLP())
        // 2·4 from c1, then x's reduced cost 3 − 2 = 1 at its upper bound 3: the LP optimum, 11.
        #expect(isClose(lp.dualBound(rowMultipliers: [2, 0]), 11))
        // (1, 1): 4 + 9 from the rows, x: (3 − 2)·3; y: 2 − 4 < 0 at its lower bound 0. Weaker, still valid.
        #expect(isClose(lp.dualBound(rowMultipliers: [1, 1]), 16))
        // y is unbounded above with a positive reduced cost: no bound.
        #expect(lp.dualBound(rowMultipliers: [0, 0]) == nil)
        // c1 has no lower bound, so a negative multiplier is taken as 0: again y's reduced cost 2 > 0.
        #expect(lp.dualBound(rowMultipliers: [-1, 0]) == nil)
        #expect(lp.dualBound(rowMultipliers: [1]) == nil, "one multiplier per row")

        // Knapsack, both directions: every multiplier gives a bound on the optimum (15 or −15).
        for direction in [OptimizationDirection.maximize, .minimize] {
            let k = try Problem(knapsack(direction: direction))
            for y in stride(from: -2.0, through: 3.0, by: 0.25) {
                let bound = try #require(k.dualBound(rowMultipliers: [y]))
                if direction == .maximize { #expect(bound >= 15 - 1e-9, "y = \(y)") } else { #expect(bound <= -15 + 1e-9, "y = \(y)") }
            }
            // Without multipliers every item counts at its best end: 19 in all.
            #expect(isClose(k.dualBound(rowMultipliers: [0]), direction == .maximize ? 19 : -19))
        }
    }
}

/// One adviser with 2 days and two needs: 3 days at 10 points an unmet day, 2 at 6. The LP gives both days
/// to the first need: -20. A free day (the new row, at most 1) drawn by either need lifts it to -10; by the
/// second alone, -14; a column held at 0 changes nothing. Each extension is solved from the LP's basis and
/// taken away again, so the same extension twice gives the same answer, and each equals the extended model
/// solved anew.
@Test func extensionsAreSolvedFromTheLPsBasisAndTakenAwayAgain() throws {
    let columns = [Column(name: "x", objective: 1), Column(name: "y", objective: 1),
                   Column(name: "u1", objective: -10), Column(name: "u2", objective: -6)]
    let rows = [Row(name: "capacity", upper: 2), Row(name: "c1", lower: 3, upper: 3), Row(name: "c2", lower: 2, upper: 2)]
    let coefficients = [Coefficient(row: 0, column: 0, value: 1), Coefficient(row: 0, column: 1, value: 1),
                        Coefficient(row: 1, column: 0, value: 1), Coefficient(row: 1, column: 2, value: 1),
                        Coefficient(row: 2, column: 1, value: 1), Coefficient(row: 2, column: 3, value: 1)]
    let lp = LinearModel(name: "supply", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
    let extensions = [LPExtension(rowUpper: 1, columns: [(row: 1, upper: 3), (row: 2, upper: 2)]),
                      LPExtension(rowUpper: 1, columns: [(row: 2, upper: 2)]),
                      LPExtension(rowUpper: 1, columns: [(row: 1, upper: 0)]),
                      LPExtension(rowUpper: 1, columns: [(row: 1, upper: 3), (row: 2, upper: 2)])]
    let (base, objectives) = try GLPKSolver.solve(lp, thenExtensions: extensions)
    #expect(base.status == .optimal && isClose(base.objective, -20))
    #expect(isClose(base.columnValues[0], 2) && isClose(base.columnValues[2], 1) && isClose(base.columnValues[3], 2))
    #expect(objectives.count == 4)
    for (k, expected) in [-10.0, -14, -20, -10].enumerated() { #expect(isClose(objectives[k], expected), "extension \(k)") }
    // Each against the extended model solved from scratch.
    for (k, e) in extensions.enumerated() {
        var extended = lp
        extended.rows.append(Row(name: "free", upper: e.rowUpper))
        for (n, c) in e.columns.enumerated() {
            extended.columns.append(Column(name: "f\(n)", lower: 0, upper: c.upper))
            extended.coefficients.append(Coefficient(row: c.row, column: extended.columns.count - 1, value: 1))
            extended.coefficients.append(Coefficient(row: rows.count, column: extended.columns.count - 1, value: 1))
        }
        #expect(isClose(try GLPKSolver.solve(extended).objective, objectives[k]!), "extension \(k)")
    }
    // An infeasible LP has no basis to start from: no extension is solved.
    var infeasible = lp
    infeasible.columns[0].upper = 0
    infeasible.columns[2].upper = 0  // nothing left to meet c1's 3 days
    let (none, nothing) = try GLPKSolver.solve(infeasible, thenExtensions: extensions)
    #expect(none.status == .infeasible && nothing.allSatisfy { $0 == nil })
}

/// Past its soft limit a tree ends as a time limit ends it, but only once it is within `stallMaxGap` of its
/// bound: a small region far from its bound when its share ends goes on until it is (up to the hard limit).
@Test func pastItsSoftLimitATreeEndsOnceWithinItsGap() throws {
    var options = SolveOptions(cuts: CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false))
    options.startingSolution = [Double](repeating: 0, count: 40)
    options.nodeLimit = 200_000  // a safety net: the soft limit, not the node limit, must end it
    options.timeLimitSeconds = 600
    options.softTimeLimitSeconds = 1e-9
    let soon = try GLPKSolver.solve(hardMIP(items: 40, constraints: 5), options: options)
    #expect(soon.status == .feasible && soon.stoppedByTimeLimit && !soon.stoppedByNodeLimit && !soon.stoppedByStall)
    #expect(soon.nodes < 200_000 && soon.gap != nil)
    // Held to a gap it reaches only when proven, the same tree goes on to the optimum a search without limits finds.
    options.softTimeLimitSeconds = 1e-9
    options.stallMaxGap = 1e-12
    options.nodeLimit = nil
    let small = hardMIP(items: 30, constraints: 5)
    options.startingSolution = [Double](repeating: 0, count: 30)
    let held = try GLPKSolver.solve(small, options: options)
    var unlimited = options
    unlimited.softTimeLimitSeconds = nil
    let plain = try GLPKSolver.solve(small, options: unlimited)
    #expect(plain.status == .optimal)
    #expect(held.status == .optimal && held.objective == plain.objective && !held.stoppedByTimeLimit)
    options.stallMaxGap = nil
    let unheld = try GLPKSolver.solve(small, options: options)
    #expect(unheld.status == .feasible && unheld.stoppedByTimeLimit)
}
