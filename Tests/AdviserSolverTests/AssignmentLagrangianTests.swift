import AdviserModel
import GLPK
import Testing
@testable import AdviserSolver

/// The Lagrangian bound of the generalized assignment problem, the pairs it rules out, and the
/// branch-and-bound on it, against exhaustive search on the tightly packed 3 x 9 instances of the tabu
/// search's tests.
@Suite struct AssignmentLagrangianTests {
    typealias Packed = AssignmentTabuSearchTests.Packed

    static func relaxation(_ instance: Packed) -> AssignmentLagrangian {
        let search = instance.search
        return AssignmentLagrangian(agents: search.agents, jobs: search.jobs, cost: search.cost, use: search.use, capacity: search.capacity)!
    }

    /// Every feasible plan of a packed instance with its cost.
    static func allPlans(_ instance: Packed) -> [(plan: [Int], cost: Double)] {
        let search = instance.search
        var plans: [([Int], Double)] = []
        var plan = [Int](repeating: 0, count: search.jobs)
        let all = (0..<search.jobs).reduce(1) { r, _ in r * search.agents }
        for code in 0..<all {
            var c = code
            for j in 0..<search.jobs { plan[j] = c % search.agents; c /= search.agents }
            if search.fits(plan) { plans.append((plan, search.totalCost(plan))) }
        }
        return plans
    }

    @Test func eachKnapsackIsPackedAtItsBest() {
        var random = SplitMix64(seed: 99)
        for instance in AssignmentTabuSearchTests.instances.prefix(10) {
            let relaxation = Self.relaxation(instance)
            let (agents, jobs) = (relaxation.agents, relaxation.jobs)
            for _ in 0..<5 {
                let u = (0..<jobs).map { _ in Double(random.int(40...120)) + 0.5 }
                let packed = relaxation.packing(u)
                for i in 0..<agents {
                    // Exhaustive: every subset of the agent's jobs within capacity.
                    var best = 0.0
                    for subset in 0..<(1 << jobs) {
                        var load = 0.0, profit = 0.0, allowed = true
                        for j in 0..<jobs where subset & (1 << j) != 0 {
                            let use = instance.search.use[i * jobs + j]
                            if !use.isFinite { allowed = false; break }
                            load += use
                            profit += u[j] - instance.search.cost[i * jobs + j]
                        }
                        if allowed, load <= instance.search.capacity[i] { best = max(best, profit) }
                    }
                    var load = 0.0, profit = 0.0
                    for j in 0..<jobs where packed[i * jobs + j] {
                        load += instance.search.use[i * jobs + j]
                        profit += u[j] - instance.search.cost[i * jobs + j]
                    }
                    #expect(load <= instance.search.capacity[i])
                    #expect(abs(profit - best) < 1e-9, "agent \(i)")
                }
            }
        }
    }

    @Test func theBoundNeverPassesTheOptimumAndRuledOutPairsAreInNoPlanWithinReach() {
        for (n, instance) in AssignmentTabuSearchTests.instances.enumerated() {
            let relaxation = Self.relaxation(instance)
            let dual = relaxation.dual(target: instance.dearest.cost)
            #expect(dual.bound <= instance.cheapest.cost + 1e-9, "instance \(n)")
            // Close to the optimum: within a few cost units on these instances (it is no trivial bound).
            #expect(dual.bound >= instance.cheapest.cost - 40, "instance \(n): \(dual.bound) vs \(instance.cheapest.cost)")
            let plans = Self.allPlans(instance)
            for slack in [0.0, 3, 10] {
                let worst = instance.cheapest.cost + slack
                let excluded = relaxation.excludedPairs(dual, worst: worst)
                for (plan, cost) in plans where cost <= worst {
                    for (j, i) in plan.enumerated() {
                        #expect(!excluded[i * relaxation.jobs + j], "instance \(n), slack \(slack): a plan of \(cost) uses a ruled-out pair")
                    }
                }
                // Bounds when a job is forced onto or off an agent hold for every such plan.
                let (onto, off) = relaxation.forcedBounds(dual)
                for (plan, cost) in plans {
                    for j in 0..<relaxation.jobs {
                        #expect(onto[plan[j] * relaxation.jobs + j] <= cost + 1e-9)
                        for i in 0..<relaxation.agents where i != plan[j] && instance.search.use[i * relaxation.jobs + j].isFinite {
                            #expect(off[i * relaxation.jobs + j] <= cost + 1e-9)
                        }
                    }
                }
            }
            // The shut-out pair is ruled out whatever the bound.
            let shut = instance.search.use.firstIndex { !$0.isFinite }!
            #expect(relaxation.excludedPairs(dual, worst: .infinity)[shut])
        }
    }

    @Test func branchAndBoundFindsAndProvesTheOptimumFromTheDearestPlan() {
        for (n, instance) in AssignmentTabuSearchTests.instances.enumerated() {
            let relaxation = Self.relaxation(instance)
            let search = AssignmentLagrangianSearch(relaxation: relaxation, integralCosts: true)
            let dual = relaxation.dual(target: instance.dearest.cost)
            let excluded = relaxation.excludedPairs(dual, worst: instance.dearest.cost - 1)
            var reported: [Double] = []
            let outcome = search.run(incumbent: instance.dearest.plan, cost: instance.dearest.cost, excluded: excluded,
                                     multipliers: dual.multipliers, found: { reported.append(search.totalCost($0)) })
            #expect(outcome.proven, "instance \(n)")
            #expect(outcome.cost == instance.cheapest.cost, "instance \(n)")
            #expect(instance.search.fits(outcome.plan) && search.totalCost(outcome.plan) == outcome.cost)
            #expect(reported.count == outcome.improvements && zip(reported, reported.dropFirst()).allSatisfy { $0 > $1 })
            // Stopped before the first node: nothing is proven.
            let stopped = search.run(incumbent: instance.dearest.plan, cost: instance.dearest.cost, excluded: excluded,
                                     multipliers: dual.multipliers, nodeLimit: 0)
            #expect(!stopped.proven && stopped.cost == instance.dearest.cost && stopped.nodes == 0)
            // A better plan from elsewhere is taken up and proven.
            let given = search.run(incumbent: instance.dearest.plan, cost: instance.dearest.cost, excluded: excluded,
                                   multipliers: dual.multipliers, incoming: { (instance.cheapest.plan, instance.cheapest.cost) })
            #expect(given.proven && given.cost == instance.cheapest.cost && given.improvements == 0)
        }
    }

    @Test func descentEndsAtAPlanNoSingleShiftOrSwapImproves() {
        for (n, instance) in AssignmentTabuSearchTests.instances.enumerated() {
            let search = AssignmentLagrangianSearch(relaxation: Self.relaxation(instance), integralCosts: true)
            var plan = instance.dearest.plan
            search.descend(&plan)
            #expect(instance.search.fits(plan), "instance \(n)")
            #expect(search.totalCost(plan) < instance.dearest.cost, "instance \(n)")
            let jobs = instance.search.jobs, agents = instance.search.agents
            for j in 0..<jobs {
                for i in 0..<agents where i != plan[j] {
                    var shifted = plan
                    shifted[j] = i
                    #expect(!(instance.search.fits(shifted) && search.totalCost(shifted) < search.totalCost(plan)), "instance \(n)")
                }
                for k in 0..<jobs where plan[k] != plan[j] {
                    var swapped = plan
                    swapped.swapAt(j, k)
                    #expect(!(instance.search.fits(swapped) && search.totalCost(swapped) < search.totalCost(plan)), "instance \(n)")
                }
            }
        }
    }

    @Test func fractionalResourcesLeaveTheRelaxationOut() {
        let whole = GeneralizedAssignmentInstance(agents: 2, jobs: 2, value: [[1, 2], [3, 4]], resource: [[1, 2], [2, 1]], capacity: [2, 2])
        #expect(whole.lagrangian(direction: .minimize) != nil)
        var fractional = whole
        fractional.resource[0][1] = 1.5
        #expect(fractional.lagrangian(direction: .minimize) == nil)
        var fractionalCapacity = whole
        fractionalCapacity.capacity[1] = 2.5
        #expect(fractionalCapacity.lagrangian(direction: .minimize) == nil)
        // Either way the solve proves the optimum: both jobs on agent 1 (1 + 2) would not fit, so one job
        // each way round costs 1 + 4 or 3 + 2.
        for instance in [whole, fractional] {
            let solution = try? instance.solve(direction: .minimize)
            #expect(solution?.status == .optimal && solution?.objective == 5)
        }
    }
}
