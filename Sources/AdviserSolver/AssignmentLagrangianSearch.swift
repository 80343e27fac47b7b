import AdviserModel

/// Depth-first branch-and-bound for the generalized assignment problem on the Lagrangian bound: proves a
/// plan optimal, or finds a better one, where GLPK's tree cannot.
///
/// GLPK bounds each node by its LP, in which an agent may take fractions of jobs: on OR-Library gapc-4 its
/// root is 2795.4 and after 140,000 nodes its bound is 2804, short of the 2805 that proves 2806. The
/// Lagrangian bound makes every agent pack whole jobs (2803.9 at the root), and pairs ruled out at a node
/// stay out below it, so the tree left to search is small. Each node warms its multipliers from its
/// parent's, rules out what it can, tries the plan its knapsacks suggest (repaired), and branches on the
/// job whose cheapest placement is dearest, one child per agent still allowed, cheapest first.
struct AssignmentLagrangianSearch: Sendable {
    let relaxation: AssignmentLagrangian
    /// Whole-number costs: a better plan costs at least one less.
    let integralCosts: Bool
    /// Subgradient steps per node, and the factor they start from.
    var stepsPerNode = 150
    var nodeFactor = 0.5

    struct Outcome {
        var plan: [Int]
        var cost: Double
        /// Every plan cheaper than `cost` was ruled out: `plan` is optimal.
        var proven: Bool
        var nodes: Int
        var improvements: Int
    }

    private struct Node {
        var excluded: [Bool]
        var multipliers: [Double]
    }

    func worst(_ cost: Double) -> Double { integralCosts ? cost - 1 : cost }

    func tolerance(_ cost: Double) -> Double { 1e-7 * max(1, abs(cost)) }

    /// Whether no plan can be cheaper than `cost` given this bound.
    func proves(_ bound: Double, _ cost: Double) -> Bool {
        bound > worst(cost) + tolerance(cost) || bound >= cost - tolerance(cost)
    }

    func totalCost(_ plan: [Int]) -> Double {
        var total = 0.0
        for (j, i) in plan.enumerated() { total += relaxation.cost[i * relaxation.jobs + j] }
        return total
    }

    /// Searches below `excluded` (pairs already ruled out for plans cheaper than `cost`), starting from
    /// `multipliers`. `found` sees each better plan; `incoming`, asked at every node, brings plans found
    /// elsewhere (a plan there that is better becomes the one to beat).
    func run(incumbent: [Int], cost: Double, excluded: [Bool], multipliers: [Double], nodeLimit: Int = .max,
             deadline: ContinuousClock.Instant? = nil, shouldStop: (() -> Bool)? = nil,
             incoming: (() -> (plan: [Int], cost: Double))? = nil, found: (([Int]) -> Void)? = nil) -> Outcome {
        let agents = relaxation.agents, jobs = relaxation.jobs
        var best = (plan: incumbent, cost: cost)
        var stack = [Node(excluded: excluded, multipliers: multipliers)]
        var nodes = 0, improvements = 0
        let clock = ContinuousClock()
        while let node = stack.popLast() {
            if nodes >= nodeLimit || deadline.map({ clock.now >= $0 }) == true || shouldStop?() == true {
                return Outcome(plan: best.plan, cost: best.cost, proven: false, nodes: nodes, improvements: improvements)
            }
            nodes += 1
            if let other = incoming?(), other.cost < best.cost { best = other }
            let limit = worst(best.cost) + tolerance(best.cost)
            let here = relaxation.restricted(excluding: node.excluded)
            // A job nobody may take: no better plan below this node.
            if (0..<jobs).contains(where: { j in (0..<agents).allSatisfy { here.weight[$0 * jobs + j] < 0 } }) { continue }
            let dual = here.dual(target: best.cost, start: node.multipliers, iterations: stepsPerNode, factor: nodeFactor,
                                 patience: 10, stopAbove: limit)
            if dual.bound > limit { continue }
            if var plan = repair(here.packing(dual.multipliers), allowed: here) {
                descend(&plan)
                if totalCost(plan) < best.cost - tolerance(best.cost) {
                    best = (plan, totalCost(plan))
                    improvements += 1
                    found?(plan)
                    if proves(dual.bound, best.cost) { continue }
                }
            }
            // The same bounds rule pairs out and choose the job to branch on.
            let bounds = here.forcedBounds(dual)
            let onto = bounds.onto
            var below = here.excludedPairs(bounds, worst: worst(best.cost))
            var choice: (job: Int, score: Double)? = nil
            var impossible = false
            for j in 0..<jobs {
                var open = 0, cheapest = Double.infinity
                for i in 0..<agents where !below[i * jobs + j] {
                    open += 1
                    cheapest = min(cheapest, onto[i * jobs + j])
                }
                if open == 0 { impossible = true; break }
                if open >= 2, choice == nil || cheapest > choice!.score { choice = (j, cheapest) }
            }
            if impossible { continue }
            guard let choice else {
                // Every job has one agent left: that is the only plan here.
                var plan = [Int](repeating: 0, count: jobs)
                for j in 0..<jobs { plan[j] = (0..<agents).first { !below[$0 * jobs + j] }! }
                if fits(plan), totalCost(plan) < best.cost - tolerance(best.cost) {
                    best = (plan, totalCost(plan))
                    improvements += 1
                    found?(plan)
                }
                continue
            }
            // One child per agent left for the job; the cheapest is searched first, so pushed last.
            let j = choice.job
            let children = (0..<agents).filter { !below[$0 * jobs + j] }.sorted { (onto[$0 * jobs + j], $0) > (onto[$1 * jobs + j], $1) }
            for i in children {
                var excluded = below
                for other in 0..<agents where other != i { excluded[other * jobs + j] = true }
                stack.append(Node(excluded: excluded, multipliers: dual.multipliers))
            }
            below.removeAll()
        }
        return Outcome(plan: best.plan, cost: best.cost, proven: true, nodes: nodes, improvements: improvements)
    }

    /// Moves one job to another agent, or swaps two jobs' agents, while that makes the plan cheaper and it
    /// still fits (best move first): the repaired packing is rarely a local optimum.
    func descend(_ plan: inout [Int]) {
        let agents = relaxation.agents, jobs = relaxation.jobs
        let cost = relaxation.cost, weight = relaxation.weight
        var room = relaxation.capacity
        for (j, i) in plan.enumerated() { room[i] -= weight[i * jobs + j] }
        while true {
            var bestGain = 1e-9, move: (job: Int, to: Int, other: Int)? = nil
            for j in 0..<jobs {
                let a = plan[j]
                for i in 0..<agents where i != a {
                    let w = weight[i * jobs + j]
                    guard w >= 0, w <= room[i] else { continue }
                    let gain = cost[a * jobs + j] - cost[i * jobs + j]
                    if gain > bestGain { bestGain = gain; move = (j, i, -1) }
                }
            }
            for j in 0..<jobs {
                let a = plan[j]
                for k in (j + 1)..<max(j + 1, jobs) {
                    let b = plan[k]
                    guard b != a else { continue }
                    let wjb = weight[b * jobs + j], wka = weight[a * jobs + k]
                    guard wjb >= 0, wka >= 0 else { continue }
                    let gain = cost[a * jobs + j] + cost[b * jobs + k] - cost[b * jobs + j] - cost[a * jobs + k]
                    guard gain > bestGain,
                          wka - weight[a * jobs + j] <= room[a], wjb - weight[b * jobs + k] <= room[b] else { continue }
                    bestGain = gain; move = (j, b, k)
                }
            }
            guard let move else { return }
            let a = plan[move.job]
            room[a] += weight[a * jobs + move.job]
            room[move.to] -= weight[move.to * jobs + move.job]
            plan[move.job] = move.to
            if move.other >= 0 {
                room[move.to] += weight[move.to * jobs + move.other]
                room[a] -= weight[a * jobs + move.other]
                plan[move.other] = a
            }
        }
    }

    func fits(_ plan: [Int]) -> Bool {
        let jobs = relaxation.jobs
        var load = [Int](repeating: 0, count: relaxation.agents)
        for (j, i) in plan.enumerated() {
            let w = relaxation.weight[i * jobs + j]
            guard w >= 0 else { return false }
            load[i] += w
        }
        return zip(load, relaxation.capacity).allSatisfy { $0 <= $1 }
    }

    /// A plan from the knapsacks' packing: a job packed twice stays with its cheapest agent, a job nobody
    /// packed goes, dearest-to-place first, to the cheapest allowed agent with room; nil when one finds none.
    private func repair(_ packed: [Bool], allowed: AssignmentLagrangian) -> [Int]? {
        let agents = relaxation.agents, jobs = relaxation.jobs
        var plan = [Int](repeating: -1, count: jobs)
        var room = allowed.capacity
        for j in 0..<jobs {
            var pick = -1
            for i in 0..<agents where packed[i * jobs + j] && (pick < 0 || relaxation.cost[i * jobs + j] < relaxation.cost[pick * jobs + j]) { pick = i }
            if pick >= 0 { plan[j] = pick; room[pick] -= allowed.weight[pick * jobs + j] }
        }
        // Unplaced jobs, those with the largest smallest resource first.
        let smallest = (0..<jobs).map { j in (0..<agents).compactMap { allowed.weight[$0 * jobs + j] >= 0 ? allowed.weight[$0 * jobs + j] : nil }.min() ?? 0 }
        let unplaced = (0..<jobs).filter { plan[$0] < 0 }.sorted { (smallest[$0], $0) > (smallest[$1], $1) }
        for j in unplaced {
            var pick = -1
            for i in 0..<agents {
                let w = allowed.weight[i * jobs + j]
                guard w >= 0, w <= room[i] else { continue }
                if pick < 0 || relaxation.cost[i * jobs + j] < relaxation.cost[pick * jobs + j] { pick = i }
            }
            guard pick >= 0 else { return nil }
            plan[j] = pick
            room[pick] -= allowed.weight[pick * jobs + j]
        }
        return plan
    }
}
