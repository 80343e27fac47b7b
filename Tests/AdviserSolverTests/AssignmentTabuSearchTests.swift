import AdviserModel
import Testing
@testable import AdviserSolver

/// The generalized assignment problem's tabu search: small instances packed as tightly as OR-Library's
/// type D (cost falls as resource use rises, capacity 80% of an even share), 3 agents x 9 jobs, against
/// exhaustive search.
@Suite struct AssignmentTabuSearchTests {
    struct Packed {
        var search: AssignmentTabuSearch
        /// Cheapest and dearest feasible plans by exhaustive search.
        var cheapest: (cost: Double, plan: [Int])
        var dearest: (cost: Double, plan: [Int])
    }

    static func packed(seed: UInt64, agents: Int = 3, jobs: Int = 9) -> Packed? {
        var random = SplitMix64(seed: seed)
        var cost = [Double](repeating: 0, count: agents * jobs), use = cost
        for k in 0..<(agents * jobs) {
            use[k] = Double(random.int(1...100))
            cost[k] = Double(111 - Int(use[k]) + random.int(-10...10))
        }
        // One pair that may not be used at all.
        use[random.int(0...agents * jobs - 1)] = .infinity
        let capacity = (0..<agents).map { i in
            (0.8 * (0..<jobs).reduce(0.0) { $0 + min(use[i * jobs + $1], 100) } / Double(agents)).rounded()
        }
        let search = AssignmentTabuSearch(agents: agents, jobs: jobs, cost: cost, use: use, capacity: capacity)
        var cheapest: (Double, [Int])? = nil, dearest: (Double, [Int])? = nil
        var plan = [Int](repeating: 0, count: jobs)
        var code = 0
        let all = (0..<jobs).reduce(1) { r, _ in r * agents }
        while code < all {
            var c = code
            for j in 0..<jobs { plan[j] = c % agents; c /= agents }
            code += 1
            guard search.fits(plan) else { continue }
            let total = search.totalCost(plan)
            if cheapest == nil || total < cheapest!.0 { cheapest = (total, plan) }
            if dearest == nil || total > dearest!.0 { dearest = (total, plan) }
        }
        guard let cheapest, let dearest, dearest.0 > cheapest.0 + 20 else { return nil }
        return Packed(search: search, cheapest: cheapest, dearest: dearest)
    }

    static let instances = (1...40).compactMap { packed(seed: UInt64($0) * 104_729) }

    @Test func reachesTheOptimumFromTheDearestPlanAndKeepsEveryCapacity() {
        #expect(Self.instances.count >= 20)
        // Shifts and swaps alone, and with chains over two and over all three agents.
        for width in [0, 2, 3] {
        for (n, var instance) in Self.instances.enumerated() {
            instance.search.chainAgents = width
            let outcome = instance.search.improve(instance.dearest.plan, iterations: 3_000, stall: 1_000)
            #expect(outcome.cost == instance.cheapest.cost, "instance \(n), chains over \(width)")
            #expect(instance.search.fits(outcome.agentOfJob), "instance \(n)")
            #expect(instance.search.totalCost(outcome.agentOfJob) == outcome.cost, "instance \(n)")
            #expect(outcome.improvements >= 1)
            // Every better plan is reported as it is found, the last of them the best.
            var reported: [Double] = []
            _ = instance.search.improve(instance.dearest.plan, iterations: 3_000, stall: 1_000, found: { reported.append(instance.search.totalCost($0)) })
            #expect(reported.count == outcome.improvements && reported.last == outcome.cost)
            #expect(zip(reported, reported.dropFirst()).allSatisfy { $0 > $1 })
            // Stopped after a few steps without a better plan.
            let stalled = instance.search.improve(instance.dearest.plan, iterations: 2_000, stall: 5)
            #expect(stalled.iterations < 2_000)
        }
        }
    }

    @Test func sameSeedSamePlanAndNeverWorseThanTheStart() {
        for instance in Self.instances.prefix(8) {
            let a = instance.search.improve(instance.dearest.plan, iterations: 30, seed: 7)
            let b = instance.search.improve(instance.dearest.plan, iterations: 30, seed: 7)
            #expect(a.agentOfJob == b.agentOfJob && a.cost == b.cost && a.iterations == 30)
            #expect(a.cost <= instance.dearest.cost && instance.search.fits(a.agentOfJob))
            // No step at all: the start comes back.
            let none = instance.search.improve(instance.dearest.plan, iterations: 0)
            #expect(none.agentOfJob == instance.dearest.plan && none.cost == instance.dearest.cost)
        }
    }

    /// A chain of three shifts in one step: job 1 from agent A to B, B's job 2 on to C, C's job 3 on to D. Each
    /// agent holds one job; each job may go to its own agent or the next one, which costs 1 instead of 10.
    @Test func oneStepMakesAChainOfThreeShifts() {
        let never = Double.infinity
        // Rows: agents A-D; columns: jobs 1-3.
        let cost: [Double] = [10, 100, 100,  1, 10, 100,  100, 1, 10,  100, 100, 1]
        let use: [Double] = [10, never, never,  10, 10, never,  never, 10, 10,  never, never, 10]
        var search = AssignmentTabuSearch(agents: 4, jobs: 3, cost: cost, use: use, capacity: [10, 10, 10, 10])
        let start = [0, 1, 2]
        let three = search.improve(start, iterations: 1)
        #expect(three.agentOfJob == [1, 2, 3] && three.cost == 3 && three.improvements == 1)
        // Chains of two reach only job 2 to C and job 3 to D in one step.
        search.chainDepth = 2
        let two = search.improve(start, iterations: 1)
        #expect(two.agentOfJob == [0, 2, 3] && two.cost == 12)
    }

    /// Through the solver: the OR-Library path takes the tabu search as its neighbourhood search's warm-up.
    @Test func theWarmUpMapsPlansToColumnsAndBack() {
        let instance = GeneralizedAssignmentInstance(agents: 2, jobs: 3, value: [[1, 9, 9], [9, 1, 1]],
                                                     resource: [[1, 1, 1], [1, 1, 5]], capacity: [3, 2])
        let (model, column) = instance.formulation(direction: .minimize)
        // Job 3 cannot go to agent 2 (uses 5 of 2): no column for it.
        #expect(column[1][2] == nil && model.columns.count == 5)
        var start = [Double](repeating: 0, count: 5)
        for j in 0..<3 { start[column[0][j]!] = 1 }
        let warmUp = instance.tabuWarmUp(direction: .minimize, column: column, iterations: 100, stall: 100)
        var plan: [Double] = []
        warmUp(start, 1, nil, { false }) { plan = $0 }
        // Cheapest: job 1 to agent 1, job 2 to agent 2, job 3 to agent 1 (cost 1 + 1 + 9).
        var expected = [Double](repeating: 0, count: 5)
        expected[column[0][0]!] = 1; expected[column[1][1]!] = 1; expected[column[0][2]!] = 1
        #expect(plan == expected)
    }
}
