import Foundation
import Testing

@testable import GLPK

// The two-settings portfolio, the neighbourhood search and the plans it trades with a running tree.

/// A small generalized assignment problem (every job to one agent within capacity, minimise cost),
/// with its columns grouped by agent and by job, and its optimum by exhaustive search.
struct SmallAssignment {
    let agents = 3, jobs = 7
    var cost: [[Double]] = []
    var weight: [[Double]] = []
    var capacity: [Double] = []

    init(seed: UInt64) {
        var state = seed
        func next(_ n: UInt64) -> Double { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Double(state % n) }
        cost = (0..<agents).map { _ in (0..<jobs).map { _ in 5 + next(20) } }
        weight = (0..<agents).map { _ in (0..<jobs).map { _ in 2 + next(8) } }
        capacity = (0..<agents).map { i in (weight[i].reduce(0, +) / 2).rounded() }
    }

    var model: LinearModel {
        var columns: [Column] = [], coefficients: [Coefficient] = []
        var rows = (0..<jobs).map { Row(name: "job\($0)", lower: 1, upper: 1) }
        rows += (0..<agents).map { Row(name: "agent\($0)", upper: capacity[$0]) }
        for i in 0..<agents {
            for j in 0..<jobs {
                columns.append(Column(name: "x\(i)_\(j)", kind: .binary, objective: cost[i][j]))
                coefficients.append(Coefficient(row: j, column: columns.count - 1, value: 1))
                coefficients.append(Coefficient(row: jobs + i, column: columns.count - 1, value: weight[i][j]))
            }
        }
        return LinearModel(name: "assignment", direction: .minimize, columns: columns, rows: rows, coefficients: coefficients)
    }

    func column(_ i: Int, _ j: Int) -> Int { i * jobs + j }
    var byAgent: [[Int]] { (0..<agents).map { i in (0..<jobs).map { column(i, $0) } } }
    var byJob: [[Int]] { (0..<jobs).map { j in (0..<agents).map { column($0, j) } } }

    /// Every assignment of jobs to agents: the cheapest within capacity, and the dearest one (a poor start).
    func extremes() -> (best: (cost: Double, values: [Double])?, worst: (cost: Double, values: [Double])?) {
        var best: (Double, [Double])? = nil, worst: (Double, [Double])? = nil
        var agentOf = [Int](repeating: 0, count: jobs)
        for code in 0..<Int(pow(Double(agents), Double(jobs))) {
            var c = code
            for j in 0..<jobs { agentOf[j] = c % agents; c /= agents }
            var load = [Double](repeating: 0, count: agents), total = 0.0
            for j in 0..<jobs { load[agentOf[j]] += weight[agentOf[j]][j]; total += cost[agentOf[j]][j] }
            guard zip(load, capacity).allSatisfy({ $0 <= $1 }) else { continue }
            var values = [Double](repeating: 0, count: agents * jobs)
            for j in 0..<jobs { values[column(agentOf[j], j)] = 1 }
            if best == nil || total < best!.0 { best = (total, values) }
            if worst == nil || total > worst!.0 { worst = (total, values) }
        }
        return (best, worst)
    }
}

/// Instances whose poorest feasible plan is well above the optimum, so the search has work to do.
let searchInstances: [SmallAssignment] = (1...12).map { SmallAssignment(seed: UInt64($0) * 7919) }.filter {
    let e = $0.extremes()
    return e.best != nil && e.worst!.cost > e.best!.cost + 5
}

@Test func neighbourhoodSearchAloneReachesTheOptimumFromAPoorStart() throws {
    #expect(searchInstances.count >= 6)
    for instance in searchInstances {
        let (best, worst) = instance.extremes()
        let search = NeighbourhoodSearch(groupings: [instance.byAgent, instance.byJob], rounds: 50, initialGroups: 2)
        let outcome = try GLPKSolver.onDedicatedThread {
            try search.improve(instance.model, start: worst!.values, deadline: nil, progress: nil, shouldStop: nil)
        }
        // Rounds grow while they are solved exactly, until one frees every column: that one proves the optimum.
        #expect(outcome.provenOptimal)
        #expect(instance.model.objectiveValue(outcome.values) == best!.cost)
        #expect(instance.model.isIntegralAndFeasible(outcome.values))
        #expect(outcome.log.contains("the last over the whole model"))
    }
}

@Test func searchBeforeBranchAndBoundKeepsEveryRowAndTheOptimum() throws {
    for concurrent in [false, true] {
        for instance in searchInstances {
            let (best, worst) = instance.extremes()
            var search = NeighbourhoodSearch(groupings: [instance.byAgent, instance.byJob], rounds: 50, probeNodes: 1)
            search.concurrent = concurrent
            var options = SolveOptions(startingSolution: worst!.values)
            options.neighbourhoodSearch = search
            let solution = try GLPKSolver.solve(instance.model, options: options)
            #expect(solution.status == .optimal, "concurrent \(concurrent)")
            #expect(solution.objective == best!.cost, "concurrent \(concurrent)")
            #expect(instance.model.isIntegralAndFeasible(solution.columnValues))
        }
    }
}

/// A search beside the tree that does not stop (as when a round's MIP stays inside GLPK's simplex, where no
/// stop reaches it: once on gapd-5, for over 12 minutes of a 60-second solve) cannot hold the answer: past the
/// time limit and its grace the solve answers with the tree's plan and says so.
@Test func aSearchThatDoesNotStopCannotHoldTheAnswer() throws {
    let instance = searchInstances[0]
    let (best, worst) = instance.extremes()
    let release = DispatchSemaphore(value: 0)
    let warmUpEnded = StopFlag()
    var search = NeighbourhoodSearch(groupings: [instance.byAgent, instance.byJob], rounds: 50, probeNodes: 1)
    search.concurrent = true
    search.warmUp = { _, _, _, _, _ in
        // Deaf to every stop, until the test lets it go.
        _ = release.wait(timeout: .now() + .seconds(60))
        warmUpEnded.set()
    }
    var options = SolveOptions(startingSolution: worst!.values)
    options.neighbourhoodSearch = search
    options.timeLimitSeconds = 0.2
    options.overrunSeconds = 0.1
    let solution = try GLPKSolver.solve(instance.model, options: options)
    #expect(!warmUpEnded.isSet)
    release.signal()
    #expect(solution.status == .optimal && solution.objective == best!.cost)
    #expect(instance.model.isIntegralAndFeasible(solution.columnValues))
    #expect(solution.log.contains("The neighbourhood search did not stop within 0.1 s of the time limit"))
}

/// A multi-constraint knapsack, its optimum, and a plan a node heuristic can offer: the optimum less its first
/// item (every weight is positive), so feasible and not the best. The options start the tree from nothing,
/// without cuts, and have every LP report at once.
private func heldTreeInstance() throws -> (model: LinearModel, optimum: Solution, plan: [Double], options: SolveOptions) {
    let model = hardMIP(items: 50, constraints: 5, seed: 11)
    let optimum = try GLPKSolver.solve(model)
    var plan = optimum.columnValues
    plan[plan.firstIndex(of: 1)!] = 0
    #expect(model.isIntegralAndFeasible(plan))
    var options = SolveOptions(cuts: .none, feasibilityPump: false, startingSolution: [Double](repeating: 0, count: model.columns.count))
    options.displayDelayMilliseconds = 0
    return (model, optimum, plan, options)
}

/// The tree itself still inside GLPK past its time limit and `overrunSeconds` (as in a node LP that never
/// returns: GLPK sets it no limit) is left at GLPK's next line of output, and answers with the best plan its
/// callbacks saw, bounded. Here a node heuristic offers a plan at its first call and holds the tree past the
/// limit and its grace at its second, as such an LP would; the thread's GLPK works again afterwards.
@Test func aTreeHeldPastItsLimitIsLeftWithItsBestPlan() throws {
    let (model, optimum, plan, given) = try heldTreeInstance()
    let planObjective = model.objectiveValue(plan)
    var options = given
    options.timeLimitSeconds = 1
    options.overrunSeconds = 0.05
    let offered = StopFlag()
    options.nodeHeuristic = NodeHeuristic { _, deadline in
        if !offered.isSet {
            offered.set()
            return plan
        }
        // Past the limit and its grace however slow the machine (the shim's clock starts a little later).
        let until = deadline! + .milliseconds(200)
        let left = ContinuousClock.now.duration(to: until)
        if left > .zero { Thread.sleep(forTimeInterval: seconds(left)) }
        return nil
    }
    let heldOptions = options
    let (held, after, otherUsable) = try GLPKSolver.onDedicatedThread { () -> (Solution, Solution, Bool) in
        // Leaving GLPK frees the thread's environment: every Problem of the thread goes with it.
        let other = try Problem(model)
        let held = try Problem(model).solve(heldOptions)
        return (held, try Problem(model).solve(), other.isUsable)
    }
    #expect(!otherUsable)
    #expect(held.log.contains("Left GLPK 0.05 s past the time limit"))
    #expect(held.status == .feasible && held.stoppedByTimeLimit)
    #expect(model.isIntegralAndFeasible(held.columnValues))
    #expect(held.objective! >= planObjective - 1e-6)
    #expect(abs(held.objective! - model.objectiveValue(held.columnValues)) < 1e-6)
    // A valid bound (maximising): at least the optimum, at least the plan.
    #expect(held.bestBound! >= optimum.objective! - 1e-6 && held.gap != nil)
    #expect(after.status == .optimal && abs(after.objective! - optimum.objective!) < 1e-6)
}

/// A stop (Ctrl-C) while GLPK is held where no callback comes, as in a node LP that never returns, leaves GLPK
/// at its next line of output once no callback has run for a second; without a time limit nothing else
/// would. Here the node heuristic's second call asks to stop, holds the tree 1.2 s, and hands back a plan
/// whose acceptance GLPK announces: that line is where the search is left.
@Test func aStopReachesATreeHeldInsideGLPK() throws {
    let (model, optimum, plan, given) = try heldTreeInstance()
    let planObjective = model.objectiveValue(plan), best = optimum.columnValues
    var options = given
    let offered = StopFlag(), stop = StopFlag()
    options.shouldStop = { stop.isSet }
    options.nodeHeuristic = NodeHeuristic { _, _ in
        if !offered.isSet {
            offered.set()
            return plan
        }
        stop.set()
        Thread.sleep(forTimeInterval: 1.2)
        return best
    }
    let heldOptions = options
    let held = try GLPKSolver.onDedicatedThread { try Problem(model).solve(heldOptions) }
    #expect(held.log.contains("Left GLPK when asked to stop"))
    #expect(held.status == .feasible && !held.stoppedByTimeLimit)
    #expect(model.isIntegralAndFeasible(held.columnValues))
    #expect(held.objective! >= planObjective - 1e-6)
    #expect(held.bestBound! >= optimum.objective! - 1e-6)
}

/// A stop reaches a MIP's LP relaxation too, which has no callback: at the simplex's first line of output
/// (iteration 0) once the stop is asked for, GLPK is left and the starting solution is the answer, without a
/// bound of its own. The stop is asked for after the look before the relaxation, so the relaxation begins.
@Test func aStopReachesARelaxationUnderWay() throws {
    let (model, _, plan, given) = try heldTreeInstance()
    var options = given
    options.startingSolution = plan
    let polls = Counter()
    options.shouldStop = { polls.increment(); return polls.count > 1 }
    let stoppedOptions = options
    let (stopped, otherUsable) = try GLPKSolver.onDedicatedThread { () -> (Solution, Bool) in
        let other = try Problem(model)
        return (try Problem(model).solve(stoppedOptions), other.isUsable)
    }
    #expect(stopped.log.contains("\nLeft GLPK's relaxation when asked to stop"))
    #expect(!stopped.log.contains("OPTIMAL"), "the relaxation ran to its end")
    #expect(stopped.status == .feasible && !stopped.stoppedByTimeLimit && stopped.nodes == 0)
    #expect(stopped.columnValues == plan && stopped.bestBound == nil)
    #expect(!otherUsable, "leaving GLPK frees the thread's environment")
    #expect(polls.count == 2)
}

/// A plan the search finds is offered to the tree and becomes its incumbent: stopped after its root, the
/// tree cannot find the optimum of this multi-constraint knapsack by itself, so it can only answer with it
/// through the exchange.
@Test func theTreeTakesPlansFromTheExchange() throws {
    let model = hardMIP(items: 50, constraints: 5, seed: 11)
    let optimum = try GLPKSolver.solve(model)
    #expect(optimum.status == .optimal)
    let empty = [Double](repeating: 0, count: model.columns.count)
    var limited = SolveOptions(cuts: .none, feasibilityPump: false, startingSolution: empty)
    limited.nodeLimit = 2
    let alone = try GLPKSolver.solve(model, options: limited)
    #expect(alone.objective! < optimum.objective! - 1e-6, "the tree alone already finds the optimum: pick a harder model")
    let options = limited
    let solution = try GLPKSolver.onDedicatedThread { () -> Solution in
        let exchange = IncumbentExchange(model: model, start: empty)
        exchange.searchFound(optimum.columnValues, objective: optimum.objective!)
        #expect(exchange.plansFound(at: IncumbentExchange.searchSeat) == 1)
        // A worse plan is not taken.
        exchange.searchFound(empty, objective: 0)
        #expect(exchange.current().objective == optimum.objective && exchange.plansFound(at: IncumbentExchange.searchSeat) == 1)
        var withExchange = options
        withExchange.incumbentExchange = exchange.seat(IncumbentExchange.treeSeat, offering: "the neighbourhood search")
        return try Problem(model).solve(withExchange)
    }
    #expect(solution.objective == optimum.objective)
    #expect(solution.columnValues == optimum.columnValues)
    #expect(solution.log.contains("Plans from the neighbourhood search that became the incumbent: 1"))
}

/// Two trees at one exchange: a plan the first tree holds reaches the second, even when it came to the first
/// from a heuristic (here its starting solution), which GLPK's own "better plan found" callback never reports.
/// Stopped after two nodes, the second tree cannot find the optimum by itself (see above).
@Test func aPlanOneTreeHoldsBecomesTheOtherTreesIncumbent() throws {
    let model = hardMIP(items: 50, constraints: 5, seed: 11)
    let optimum = try GLPKSolver.solve(model)
    let empty = [Double](repeating: 0, count: model.columns.count)
    var limited = SolveOptions(cuts: .none, feasibilityPump: false, startingSolution: empty)
    limited.nodeLimit = 2
    let options = limited
    let (first, second, found) = try GLPKSolver.onDedicatedThread { () -> (Solution, Solution, [Int]) in
        let exchange = IncumbentExchange(model: model, start: nil)
        var holder = options
        holder.startingSolution = optimum.columnValues
        holder.incumbentExchange = exchange.seat(0, offering: "the other settings' tree")
        let first = try Problem(model).solve(holder)
        var taker = options
        taker.incumbentExchange = exchange.seat(1, offering: "the other settings' tree")
        let second = try Problem(model).solve(taker)
        return (first, second, [exchange.plansFound(at: 0), exchange.plansFound(at: 1)])
    }
    #expect(first.objective == optimum.objective)
    #expect(found == [1, 0], "the first tree reports its plan once; the second finds nothing better")
    #expect(second.objective == optimum.objective && second.columnValues == optimum.columnValues)
    #expect(second.log.contains("Plans from the other settings' tree that became the incumbent: 1"))
    #expect(first.log.contains("Plans from the other settings' tree that became the incumbent: 0"))
}

/// Side by side under a time limit the two settings trade plans; under a node limit alone they do not, so
/// that the answer is the same on every run (checked below).
@Test func twoSettingsTradePlansOnlyUnderATimeLimit() throws {
    let model = hardMIP(items: 60, constraints: 6, seed: 7)
    var options = SolveOptions()
    options.searchSettings = SearchSettings(cuts: CutOptions(gomory: false), branching: .pseudocost, backtracking: .bestProjection)
    options.alongside = SearchSettings(cuts: .all, branching: .driebeckTomlin, backtracking: .bestLocalBound)
    options.nodeLimit = 3
    let apart = try GLPKSolver.solve(model, options: options)
    #expect(!apart.log.contains("Plans from the other settings' tree"))
    options.timeLimitSeconds = 600
    let trading = try GLPKSolver.solve(model, options: options)
    #expect(trading.log.components(separatedBy: "Plans from the other settings' tree that became the incumbent:").count == 3)
}

/// Two settings side by side: the same proven optimum as either alone, the same answer on every run, and
/// under a node limit the better of the two runs with the tighter of their bounds.
@Test func twoSettingsSideBySide() throws {
    let model = hardMIP(items: 60, constraints: 6, seed: 7)
    let plain = try GLPKSolver.solve(model)
    #expect(plain.status == .optimal)
    var options = SolveOptions()
    options.searchSettings = SearchSettings(cuts: CutOptions(gomory: false), branching: .pseudocost, backtracking: .bestProjection)
    options.alongside = SearchSettings(cuts: .all, branching: .driebeckTomlin, backtracking: .bestLocalBound)
    let both = try GLPKSolver.solve(model, options: options)
    #expect(both.status == .optimal)
    #expect(isClose(both.objective, plain.objective!))

    options.nodeLimit = 3
    let limited = (0..<3).map { _ in try? GLPKSolver.solve(model, options: options) }
    let first = try #require(limited[0])
    #expect(first.status == .feasible)
    for other in limited.dropFirst() {
        #expect(other?.objective == first.objective && other?.columnValues == first.columnValues && other?.bestBound == first.bestBound)
    }
    var alone = options
    alone.alongside = nil
    let a = try GLPKSolver.solve(model, options: alone)
    alone.searchSettings = options.alongside!
    let b = try GLPKSolver.solve(model, options: alone)
    #expect(first.objective == max(a.objective!, b.objective!))
    #expect(first.bestBound == min(a.bestBound!, b.bestBound!))
    #expect(first.log.contains("--- first settings") && first.log.contains("--- second settings"))
}

/// The two settings in turn (one core): the same proven optimum; under a node limit the first run gets its
/// share, the second the rest from the first's plan, never worse than the first, with both runs' nodes counted.
@Test func twoSettingsInTurn() throws {
    let model = hardMIP(items: 60, constraints: 6, seed: 7)
    let plain = try GLPKSolver.solve(model)
    var options = SolveOptions()
    options.searchSettings = SearchSettings(cuts: CutOptions(gomory: false), branching: .pseudocost, backtracking: .bestProjection)
    options.alongside = SearchSettings(cuts: .all, branching: .driebeckTomlin, backtracking: .bestLocalBound)
    options.alongsideInTurnAfterNodes = 2
    let proven = try GLPKSolver.solve(model, options: options)
    #expect(proven.status == .optimal)
    #expect(isClose(proven.objective, plain.objective!))
    #expect(proven.log.contains("--- first settings: feasible") && proven.log.contains("--- second settings, from the first's best plan: optimal"))

    options.nodeLimit = 5
    let limited = try GLPKSolver.solve(model, options: options)
    var first = options
    first.alongside = nil
    first.alongsideInTurnAfterNodes = nil
    first.nodeLimit = 2
    let a = try GLPKSolver.solve(model, options: first)
    #expect(a.status == .feasible)
    #expect(limited.status == .feasible || limited.status == .optimal)
    #expect(limited.objective! >= a.objective! - 1e-9)
    #expect(limited.nodes <= 5 + 1 && limited.nodes > a.nodes)
}

/// The caller's warm-up runs before the rounds: each plan it reports is kept when it is feasible and better,
/// and an infeasible one (every job to every agent, or none) is refused, whatever its objective.
@Test func aWarmUpPlanIsKeptOnlyWhenFeasibleAndBetter() throws {
    let instance = searchInstances[0]
    let (best, worst) = instance.extremes()
    let everywhere = [Double](repeating: 1, count: instance.agents * instance.jobs)
    let nowhere = [Double](repeating: 0, count: instance.agents * instance.jobs)
    for (plans, kept) in [([best!.values], best!), ([everywhere, nowhere], worst!), ([best!.values, worst!.values, nowhere], best!)] {
        var search = NeighbourhoodSearch(groupings: [instance.byAgent, instance.byJob], rounds: 0, seed: 5)
        search.warmUp = { start, seed, deadline, _, found in
            #expect(start == worst!.values && seed == 5 && deadline == nil)
            for plan in plans { found(plan) }
        }
        let warmed = search
        let outcome = try GLPKSolver.onDedicatedThread {
            try warmed.improve(instance.model, start: worst!.values, deadline: nil, progress: nil, shouldStop: nil)
        }
        #expect(outcome.values == kept.values)
        #expect(outcome.log.contains("Warm-up heuristic: 1 runs (\(kept.cost < worst!.cost ? 1 : 0) improved the plan)"))
    }
}

/// Two advisers, four needs of one day each, each adviser able to give two: the start leaves need 3 unmet
/// (its slack, a continuous column, holds the row at its demand). A round that frees both advisers must be
/// able to give need 3 to the adviser with room, although every freed column in that row is at 0: the
/// slack is freed with them, so the row is not "already met". Before 3 December the row counted as met
/// and no round could ever serve an unmet need from an adviser not already on it.
@Test func roundsCanServeANeedThatOnlyItsSlackHolds() throws {
    var columns: [Column] = [], rows: [Row] = [], coefficients: [Coefficient] = []
    var x = [[Int]](repeating: [], count: 2)
    for need in 0..<4 { rows.append(Row(name: "need\(need)", lower: 1, upper: 1)) }
    for adviser in 0..<2 { rows.append(Row(name: "capacity\(adviser)", upper: 2)) }
    for adviser in 0..<2 {
        for need in 0..<4 {
            x[adviser].append(columns.count)
            coefficients.append(Coefficient(row: need, column: columns.count, value: 1))
            coefficients.append(Coefficient(row: 4 + adviser, column: columns.count, value: 1))
            columns.append(Column(name: "x\(adviser)_\(need)", kind: .binary, objective: -Double(adviser)))
        }
    }
    var unmet: [Int] = []
    for need in 0..<4 {
        unmet.append(columns.count)
        coefficients.append(Coefficient(row: need, column: columns.count, value: 1))
        columns.append(Column(name: "unmet\(need)", kind: .continuous, lower: 0, upper: 1, objective: -10))
    }
    let model = LinearModel(name: "slack", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
    var start = [Double](repeating: 0, count: columns.count)
    start[x[0][0]] = 1; start[x[0][1]] = 1; start[x[1][2]] = 1; start[unmet[3]] = 1
    #expect(model.isIntegralAndFeasible(start))
    let search = NeighbourhoodSearch(groupings: [x], rounds: 1, initialGroups: 2)
    let plan = start
    let outcome = try GLPKSolver.onDedicatedThread {
        try search.improve(model, start: plan, deadline: nil, progress: nil, shouldStop: nil)
    }
    // Every need served, adviser 1 (who costs 1 a day) on two of them: -2.
    #expect(model.objectiveValue(outcome.values) == -2)
    #expect(outcome.values[unmet[3]] == 0)
    #expect(outcome.provenOptimal)
}

/// The caller's own neighbourhood: maximise 5a + 4b + 3c - 0.1s with 2a + 3b + c + s = 4, a, b, c binary and s
/// a continuous slack. Held at a = 0 (s held at 4, which would leave no room), with b and c free: s is freed
/// with them, since it shares their row, and the answer is b = c = 1, s = 0, objective 7 (the whole model's
/// optimum is a = c = 1, s = 1: 7.9). Held at a = 1 instead: 3b + c + s = 2 gives c = 1, s = 1: 7.9.
@Test func aNeighbourhoodHeldAtAPlanFreesOnlyItsColumnsAndTheirSlacks() throws {
    let model = LinearModel(name: "held", direction: .maximize,
                            columns: [Column(name: "a", kind: .binary, objective: 5), Column(name: "b", kind: .binary, objective: 4),
                                      Column(name: "c", kind: .binary, objective: 3), Column(name: "s", objective: -0.1)],
                            rows: [Row(name: "room", lower: 4, upper: 4)],
                            coefficients: [Coefficient(row: 0, column: 0, value: 2), Coefficient(row: 0, column: 1, value: 3),
                                           Coefficient(row: 0, column: 2, value: 1), Coefficient(row: 0, column: 3, value: 1)])
    let withoutA = try GLPKSolver.solve(model, freeing: [1, 2], heldAt: [0, 0, 0, 4], options: SolveOptions())
    #expect(withoutA.status == .optimal)
    #expect(withoutA.columnValues == [0, 1, 1, 0])
    #expect(abs(withoutA.objective! - 7) < 1e-9 && abs(withoutA.bestBound! - 7) < 1e-9)
    #expect(withoutA.rowValues == [4])
    let withA = try GLPKSolver.solve(model, freeing: [1, 2], heldAt: [1, 0, 0, 2], options: SolveOptions())
    #expect(withA.columnValues == [1, 0, 1, 1])
    #expect(abs(withA.objective! - 7.9) < 1e-9)
    // A start of the whole model is cut down to the free columns (and checked there): b alone, s = 1.
    let started = try GLPKSolver.solve(model, freeing: [1, 2], heldAt: [0, 0, 0, 4], options: SolveOptions(startingSolution: [0, 1, 0, 1]))
    #expect(started.columnValues == [0, 1, 1, 0])
}

/// Four advisers in a row, each able to serve its own school's need and the one before it, two days each.
/// The start serves each school but the last from the adviser after it, so the last need (which only the
/// last adviser may serve) is unmet: meeting it moves every need one adviser back, a chain through all four.
/// Gates are the pairings (all open); their days are what a wide round frees.
private func chainOfAdvisers() -> (model: LinearModel, start: [Double], gates: [NeighbourhoodSearch.WideRound.Gate], byAdviser: [[Int]]) {
    let pairs = [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (3, 2), (3, 3)]   // (adviser, school)
    var model = LinearModel(name: "chain", direction: .maximize)
    var gates: [NeighbourhoodSearch.WideRound.Gate] = [], byAdviser = [[Int]](repeating: [], count: 4)
    for (k, (a, _)) in pairs.enumerated() {
        model.columns.append(Column(name: "y\(k)", kind: .binary, upper: 1))
        model.columns.append(Column(name: "x\(k)", kind: .integer, upper: 2, objective: -0.01))
        gates.append(.init(gate: 2 * k, columns: [2 * k + 1]))
        byAdviser[a] += [2 * k, 2 * k + 1]
    }
    let unmet = model.columns.count
    for s in 0..<4 { model.columns.append(Column(name: "u\(s)", objective: -10)) }
    for s in 0..<4 {
        model.rows.append(Row(name: "cover\(s)", lower: 2, upper: 2))
        model.coefficients.append(Coefficient(row: s, column: unmet + s, value: 1))
    }
    for a in 0..<4 { model.rows.append(Row(name: "capacity\(a)", upper: 2)) }
    for (k, (a, s)) in pairs.enumerated() {
        model.coefficients.append(Coefficient(row: s, column: 2 * k + 1, value: 1))
        model.coefficients.append(Coefficient(row: 4 + a, column: 2 * k + 1, value: 1))
        model.rows.append(Row(name: "load\(k)", upper: 0))
        model.coefficients.append(Coefficient(row: model.rows.count - 1, column: 2 * k + 1, value: 1))
        model.coefficients.append(Coefficient(row: model.rows.count - 1, column: 2 * k, value: -2))
    }
    var start = [Double](repeating: 0, count: model.columns.count)
    for k in pairs.indices { start[2 * k] = 1 }
    for k in [1, 3, 5] { start[2 * k + 1] = 2 }   // each school served by the adviser after it
    start[unmet + 3] = 2
    return (model, start, gates, byAdviser)
}

/// Rounds of two advisers cannot move work along a chain of four; a wide round, every pairing's days at once with
/// the pairings held, meets the last need. It runs again only once the plan has moved.
@Test func aWideRoundMovesWorkAlongAChainThatRoundsCannot() throws {
    let chain = chainOfAdvisers()
    #expect(chain.model.isIntegralAndFeasible(chain.start))
    var search = NeighbourhoodSearch(groupings: [chain.byAdviser], rounds: 2, nodeLimitPerRound: 50, initialGroups: 2)
    let narrow = search
    let without = try GLPKSolver.onDedicatedThread {
        try narrow.improve(chain.model, start: chain.start, deadline: nil, progress: nil, shouldStop: nil)
    }
    // A round of two advisers, then of three (a round solved exactly grows by one): the last need stays unmet.
    #expect(without.values[14 + 3] == 2)
    #expect(!without.log.contains("Wide rounds"))

    var wide = NeighbourhoodSearch.WideRound(gates: chain.gates)
    wide.everyRounds = 1
    search.wideRound = wide
    let widened = search
    let with = try GLPKSolver.onDedicatedThread {
        try widened.improve(chain.model, start: chain.start, deadline: nil, progress: nil, shouldStop: nil)
    }
    #expect(chain.model.isIntegralAndFeasible(with.values))
    #expect((14..<18).allSatisfy { with.values[$0] == 0 }, "every need met")
    #expect([1, 5, 9, 13].allSatisfy { with.values[$0] == 2 } && [3, 7, 11].allSatisfy { with.values[$0] == 0 },
            "each school served by its own adviser")
    #expect(isClose(chain.model.objectiveValue(with.values), -0.08))
    // Due after every round, but the plan did not move after the first: one wide round, which improved it.
    #expect(with.log.contains("Wide rounds: 1 (1 improved the plan, by 19.98 in all)"))
}

/// A block's search keeps the gates inside the block, renumbered, with only their columns inside it, their
/// owners, and the guide's gates inside it.
@Test func aWideRoundRestrictedToABlockKeepsItsGates() {
    var search = NeighbourhoodSearch(groupings: [[[0, 1], [2, 3]]])
    search.wideRound = NeighbourhoodSearch.WideRound(gates: [.init(gate: 0, columns: [1, 5], owner: 7), .init(gate: 2, columns: [3], owner: 8),
                                                             .init(gate: 4, columns: [5], owner: 9)])
    search.wideRound?.guide = [0, 4]
    let block = search.restricted(to: [2, 3, 4, 5], totalColumns: 6)
    #expect(block.wideRound?.gates.map(\.gate) == [0, 2])
    #expect(block.wideRound?.gates.map(\.columns) == [[1], [3]])
    #expect(block.wideRound?.gates.map(\.owner) == [8, 9])
    #expect(block.wideRound?.guide == [2])
}

/// The chain of four advisers with room for one school each, every school but the first served by the adviser
/// after its own and the last need unmet: meeting it needs every adviser to change school at once, which no
/// round of two or three advisers and no wide round (pairings held) can do. A guided round, steered to the
/// advisers' own schools, frees the pairings the guide and the plan disagree on and meets every need; once
/// they agree, no more are run.
@Test func aGuidedRoundChangesThePairingsAGuideDisagreesWith() throws {
    var chain = chainOfAdvisers()
    let owned = chain.gates.enumerated().map { k, gate in
        NeighbourhoodSearch.WideRound.Gate(gate: gate.gate, columns: gate.columns, owner: [0, 1, 1, 2, 2, 3, 3][k])
    }
    for a in 0..<4 {
        chain.model.rows.append(Row(name: "places\(a)", upper: 1))
        for (k, gate) in owned.enumerated() where gate.owner == a {
            chain.model.coefficients.append(Coefficient(row: chain.model.rows.count - 1, column: 2 * k, value: 1))
        }
    }
    var held = chain.start
    for k in [0, 2, 4, 6] { held[2 * k] = 0 }
    let model = chain.model, start = held
    #expect(model.isIntegralAndFeasible(start))
    // Rounds of two advisers, then of three (a round solved exactly grows by one).
    var search = NeighbourhoodSearch(groupings: [chain.byAdviser], rounds: 2, nodeLimitPerRound: 50, initialGroups: 2)
    var wide = NeighbourhoodSearch.WideRound(gates: owned)
    wide.everyRounds = 1
    search.wideRound = wide
    let unguided = search
    let without = try GLPKSolver.onDedicatedThread {
        try unguided.improve(model, start: start, deadline: nil, progress: nil, shouldStop: nil)
    }
    #expect(without.values[14 + 3] == 2, "the last need stays unmet")
    #expect(!without.log.contains("Guided rounds"))

    wide.guide = [0, 4, 8, 12]
    wide.guidedOwners = 4
    wide.guidedEveryRounds = 1
    search.wideRound = wide
    let guided = search
    let with = try GLPKSolver.onDedicatedThread {
        try guided.improve(model, start: start, deadline: nil, progress: nil, shouldStop: nil)
    }
    #expect(model.isIntegralAndFeasible(with.values))
    #expect((14..<18).allSatisfy { with.values[$0] == 0 }, "every need met")
    #expect([0, 4, 8, 12].allSatisfy { with.values[$0] == 1 } && [2, 6, 10].allSatisfy { with.values[$0] == 0 },
            "each adviser at its own school")
    #expect(isClose(model.objectiveValue(with.values), -0.08))
    #expect(with.log.contains("Guided rounds: 1 (1 improved the plan, by 19.98 in all)"))
}

// A worker done with its own regions joins a block's search (`SearchHelp`): rounds on disjoint rows at once.

@Test func aHelperAndTheSearchNeverHoldTheSameRowAndTradeWhatTheyChanged() throws {
    let instance = SmallAssignment(seed: 7919)
    let model = instance.model
    let search = NeighbourhoodSearch(groupings: [instance.byAgent, instance.byJob])
    let index = SparseIndex(model)
    let session = HelpSession(search: search, model: model, index: index,
                              usual: UsualNeighbourhoods(search.groupings, index: index, rows: model.rows.count, initial: 2, maximumFreeColumns: 100),
                              deadline: .now + .seconds(600), shouldStop: nil)
    let plan = instance.extremes().worst!.values
    // The helper starts from the plan the search hands over at its next round.
    let joined = Box<[Double]?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread { joined.value = session.join(); done.signal() }.start()
    while done.wait(timeout: .now() + .milliseconds(1)) == .timedOut { #expect(session.ownerSync(plan).isEmpty) }
    #expect(joined.value == plan)

    // A row held by the search is not the helper's; the rows beside it are.
    #expect(session.ownerClaim([0, 1]).isEmpty)
    #expect(session.helperClaim([1, 2])?.granted == false)
    #expect(session.helperClaim([2, 3])?.granted == true)
    // What one side's round changed reaches the other at its next claim, once.
    session.ownerRelease([0, 1], changes: [(column: 5, value: 1)])
    let toHelper = try #require(session.helperClaim([0]))
    #expect(toHelper.granted && toHelper.changes.map(\.column) == [5] && toHelper.changes.map(\.value) == [1])
    #expect(session.helperClaim([9])?.changes.isEmpty == true)
    session.helperRelease([0, 9], changes: nil, gain: 0, seconds: 0)
    session.helperRelease([2, 3], changes: [(column: 7, value: 0)], gain: 4, seconds: 0)
    #expect(session.ownerSync(plan).map(\.column) == [7])
    #expect(session.log().hasPrefix("Rounds on a second core once the regions were done: 2 (1 improved the plan, by 4 in all)"))

    // The search waits for a row the helper holds, and the helper claims nothing new meanwhile.
    #expect(session.helperClaim([4])?.granted == true)
    let claimed = DispatchSemaphore(value: 0)
    let seen = Box<[Int]>([])
    Thread { seen.value = session.ownerClaim([4, 5]).map(\.column); claimed.signal() }.start()
    while session.helperClaim([8])?.granted == true { session.helperRelease([8], changes: nil, gain: 0, seconds: 0) }
    #expect(claimed.wait(timeout: .now() + .milliseconds(50)) == .timedOut)
    session.helperRelease([4], changes: [(column: 3, value: 1)], gain: 1, seconds: 0)
    claimed.wait()
    #expect(seen.value == [3], "the search sees the helper's change before its round")
    #expect(session.helperClaim([5])?.granted == false)
    session.ownerRelease([4, 5], changes: nil)
    #expect(session.helperClaim([5, 6])?.granted == true)

    // Once the search is over, the helper's last changes are handed back once, and later ones are dropped.
    session.helperRelease([5, 6], changes: [(column: 2, value: 1)], gain: 1, seconds: 0)
    #expect(session.close().map(\.column) == [2])
    session.helperRelease([], changes: [(column: 1, value: 1)], gain: 1, seconds: 0)
    #expect(session.close().isEmpty)
    #expect(session.helperClaim([0]) == nil)
    #expect(session.join() == nil)
}

private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Many agents and jobs, so that rounds of a few agents leave the rest of the model to the other side.
private func wideAssignment(agents: Int, jobs: Int) -> (model: LinearModel, start: [Double], byAgent: [[Int]], byJob: [[Int]]) {
    var columns: [Column] = [], coefficients: [Coefficient] = []
    var rows = (0..<jobs).map { Row(name: "job\($0)", lower: 1, upper: 1) }
    rows += (0..<agents).map { Row(name: "agent\($0)", upper: 6) }
    var byAgent = [[Int]](repeating: [], count: agents), byJob = [[Int]](repeating: [], count: jobs)
    var start: [Double] = []
    for i in 0..<agents {
        for j in 0..<jobs {
            columns.append(Column(name: "x\(i)_\(j)", kind: .binary, objective: Double((i * 7 + j * 13) % 17 + 1)))
            coefficients.append(Coefficient(row: j, column: columns.count - 1, value: 1))
            coefficients.append(Coefficient(row: jobs + i, column: columns.count - 1, value: Double(1 + (i + j) % 3)))
            byAgent[i].append(columns.count - 1)
            byJob[j].append(columns.count - 1)
            start.append(j % agents == i ? 1 : 0)
        }
    }
    let model = LinearModel(name: "wide", direction: .minimize, columns: columns, rows: rows, coefficients: coefficients)
    return (model, start, byAgent, byJob)
}

@Test func aHelperJoinsTheSearchAndEveryPlanStaysFeasible() throws {
    let (model, start, byAgent, byJob) = wideAssignment(agents: 20, jobs: 60)
    #expect(model.isIntegralAndFeasible(start))
    // Rounds never free the whole model (at most 30 columns), so the search runs to its deadline.
    let search = NeighbourhoodSearch(groupings: [byAgent, byJob], rounds: 1_000_000, nodeLimitPerRound: 50, initialGroups: 2,
                                     maximumFreeColumns: 30, timeShare: 1, patience: 1_000_000, probeNodes: 0)
    let help = SearchHelp()
    let helped = DispatchSemaphore(value: 0)
    Thread { help.help(); helped.signal() }.start()
    let deadline = ContinuousClock.now + .seconds(3)
    let outcome = try GLPKSolver.onDedicatedThread {
        try search.improve(model, start: start, deadline: deadline, progress: nil, shouldStop: nil, help: help)
    }
    helped.wait()
    #expect(model.isIntegralAndFeasible(outcome.values))
    #expect(model.objectiveValue(outcome.values) < model.objectiveValue(start))
    #expect(outcome.log.contains("Rounds on a second core once the regions were done: "))
    // A worker that comes after the search is over returns at once.
    help.help()
}

@Test func aSearchWithoutADeadlineTakesNoHelp() throws {
    let (model, start, byAgent, byJob) = wideAssignment(agents: 6, jobs: 12)
    let search = NeighbourhoodSearch(groupings: [byAgent, byJob], rounds: 30, initialGroups: 2, probeNodes: 0)
    let help = SearchHelp()
    let alone = try GLPKSolver.onDedicatedThread {
        try search.improve(model, start: start, deadline: nil, progress: nil, shouldStop: nil)
    }
    let offered = try GLPKSolver.onDedicatedThread {
        try search.improve(model, start: start, deadline: nil, progress: nil, shouldStop: nil, help: help)
    }
    // The same rounds, the same plan; and a worker that comes then returns at once.
    #expect(offered.values == alone.values)
    #expect(!offered.log.contains("second core") && offered.log.split(separator: "\n").count == alone.log.split(separator: "\n").count)
    help.help()
}

/// A round frees, with its integer columns, the continuous columns that share a row with them (an unmet need's
/// slack), and only those; a row that links every column (a budget) is read once, not once per free column.
@Test func aRoundFreesTheContinuousColumnsBesideItsIntegerOnes() {
    // Rows: need 0 {x0, x1, s0}, need 1 {x2, s1}, budget {x0, x1, x2, x3}. s0 and s1 are continuous slacks.
    let columns = [Column(name: "x0", kind: .binary), Column(name: "x1", kind: .binary), Column(name: "x2", kind: .binary),
                   Column(name: "x3", kind: .binary), Column(name: "s0", kind: .continuous, lower: 0),
                   Column(name: "s1", kind: .continuous, lower: 0)]
    let rows = [Row(name: "need0", lower: 1, upper: 1), Row(name: "need1", lower: 1, upper: 1), Row(name: "budget", upper: 3)]
    let coefficients = [Coefficient(row: 0, column: 0, value: 1), Coefficient(row: 0, column: 1, value: 1), Coefficient(row: 0, column: 4, value: 1),
                        Coefficient(row: 1, column: 2, value: 1), Coefficient(row: 1, column: 5, value: 1),
                        Coefficient(row: 2, column: 0, value: 1), Coefficient(row: 2, column: 1, value: 1),
                        Coefficient(row: 2, column: 2, value: 1), Coefficient(row: 2, column: 3, value: 1)]
    let model = LinearModel(name: "slacks", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
    let index = SparseIndex(model)
    #expect(index.withContinuousNeighbours([0], model: model) == [0, 4])
    #expect(index.withContinuousNeighbours([0, 1, 3], model: model) == [0, 1, 3, 4])
    #expect(index.withContinuousNeighbours([2, 3], model: model) == [2, 3, 5])
    #expect(index.withContinuousNeighbours([3], model: model) == [3])
    #expect(index.withContinuousNeighbours([0, 2], model: model) == [0, 2, 4, 5])
}
