import AdviserModel

/// Tabu search with strategic oscillation for the generalized assignment problem: every job to one agent,
/// agents within capacity, least cost.
///
/// GLPK's tree and the MIP neighbourhood search move many jobs at once but slowly; on the tightly packed
/// OR-Library type D instances (20 agents, every capacity nearly full) they end 2-3% above the best known
/// plans after a minute. Tabu search moves one to three jobs per step, thousands of steps a second, and
/// crosses infeasible plans to reach feasible ones that no chain of feasible moves reaches: an agent over
/// its capacity costs a penalty per unit of excess whose weight rises while that agent stays over and falls
/// while the plan fits (after Yagiura, Ibaraki and Glover, 2004, with their ejection chains cut to three shifts).
/// Moves: one job to another agent, two jobs swapped, or a job to another agent whose job moves on to a third
/// (and, from the best such chain of each job and agent, one of the third agent's jobs on to a fourth).
///
/// Deterministic for a given seed and iteration count; a deadline can only end it sooner.
struct AssignmentTabuSearch: Sendable {
    let agents: Int
    let jobs: Int
    /// cost[i * jobs + j]: cost of giving job j to agent i (profits negated when maximising).
    let cost: [Double]
    /// use[i * jobs + j]: what job j uses of agent i's capacity; infinity where job j may not go to agent i.
    let use: [Double]
    let capacity: [Double]
    /// Agents per job that chains consider (0: shifts and swaps only).
    var chainAgents = 5
    /// Shifts in the longest chain: 2, or 3 to extend each start's best chain of two by one more shift (an
    /// ejection chain three levels deep). A step then costs 1.6 times as much, and at 60 s gapd-5 ended at
    /// 6200-6212 in nine runs against 6205-6218 with chains of two (optimum 6185); gapd-6 the same.
    var chainDepth = 3

    struct Outcome {
        /// Best feasible plan seen (the start when none is better).
        var agentOfJob: [Int]
        var cost: Double
        var iterations: Int
        var improvements: Int
    }

    func totalCost(_ agentOf: [Int]) -> Double {
        var total = 0.0
        for (j, i) in agentOf.enumerated() { total += cost[i * jobs + j] }
        return total
    }

    func fits(_ agentOf: [Int]) -> Bool {
        var load = [Double](repeating: 0, count: agents)
        for (j, i) in agentOf.enumerated() {
            guard use[i * jobs + j].isFinite else { return false }
            load[i] += use[i * jobs + j]
        }
        return zip(load, capacity).allSatisfy { $0 <= $1 + 1e-9 }
    }

    /// Improves `start` (feasible) for at most `iterations` steps, and at most `stall` steps after the last
    /// better plan; `found` sees each better plan as it is found.
    func improve(_ start: [Int], iterations: Int, stall: Int = .max, seed: UInt64 = 1, deadline: ContinuousClock.Instant? = nil,
                 shouldStop: (() -> Bool)? = nil, found: (([Int]) -> Void)? = nil) -> Outcome {
        var random = SplitMix64(seed: seed)
        var agentOf = start
        var load = [Double](repeating: 0, count: agents)
        for (j, i) in agentOf.enumerated() { load[i] += use[i * jobs + j] }
        var current = totalCost(agentOf)
        var best = (agentOf: agentOf, cost: current)
        var improvements = 0
        // Penalty weights start at the cost of one unit of resource, measured on the whole instance.
        var costSpread = 0.0, useSum = 0.0
        for k in 0..<agents * jobs where use[k].isFinite { costSpread += abs(cost[k]); useSum += use[k] }
        let baseWeight = max(1e-6, costSpread / max(1e-9, useSum))
        var weight = [Double](repeating: baseWeight, count: agents)
        // tabuUntil[i * jobs + j]: job j may not return to agent i before this step.
        var tabuUntil = [Int](repeating: 0, count: agents * jobs)
        // Measured on gapd-5 and gapd-6 at 10 s: short tenures, slow weight changes and frequent returns to the
        // best plan do best (tenure n/20-n/10, x1.1/x0.95 and 20n steps: 6286 and 12430; these: 6258 and 12353).
        // Random kicks on return, longer tenures and one weight for all agents were no better.
        let tenureBase = max(3, jobs / 100), tenureSpread = max(2, (3 * jobs) / 100)
        let weightUp = 1.02, weightDown = 0.99, patience = 5 * jobs
        // Chains over each job's 5 best agents: gapd-5 6250 -> 6231, gapd-6 12333 -> 12331 at 60 s; 3 or 8 no better.
        let chainWidth = min(agents, chainAgents)
        // Each job's agents by cost plus the resource it uses there at the starting weight, best first.
        let candidates: [[Int]] = (0..<jobs).map { j in
            Array((0..<agents).filter { use[$0 * jobs + j].isFinite }
                .sorted { (cost[$0 * jobs + j] + baseWeight * use[$0 * jobs + j], $0) < (cost[$1 * jobs + j] + baseWeight * use[$1 * jobs + j], $1) }
                .prefix(chainWidth))
        }
        var members = [[Int]](repeating: [], count: agents)
        // Steps since the best plan, and since a better one (a return to the best resets only the first).
        var sinceBest = 0, sinceBetter = 0
        let clock = ContinuousClock()

        @inline(__always) func excess(_ i: Int, _ l: Double) -> Double { max(0, l - capacity[i]) }
        @inline(__always) func over(_ i: Int, _ l: Double) -> Int { l > capacity[i] + 1e-9 ? 1 : 0 }
        // Agents over capacity now (1 or 0), and how many: a move fits when no agent is over after it.
        var overNow = [Int](repeating: 0, count: agents)

        var step = 0
        while step < iterations {
            if step & 63 == 0 {
                if let deadline, clock.now >= deadline { break }
                if shouldStop?() == true { break }
            }
            step += 1
            // Best admissible move by penalised cost: shift one job, or swap two jobs of different agents.
            var bestDelta = Double.infinity, bestTie: UInt64 = 0
            var moveJob = -1, moveTo = -1, swapJob = -1, swapTo = -1, thirdJob = -1, thirdTo = -1
            func consider(_ delta: Double, _ costDelta: Double, feasibleAfter: Bool, tabu: Bool, _ j: Int, _ to: Int, _ k: Int, _ kTo: Int,
                          _ l: Int = -1, _ lTo: Int = -1) {
                // Aspiration: a tabu move is allowed when it gives a feasible plan better than the best.
                if tabu && !(feasibleAfter && current + costDelta < best.cost - 1e-9) { return }
                if delta < bestDelta - 1e-12 {
                    bestDelta = delta; bestTie = random.next(); moveJob = j; moveTo = to; swapJob = k; swapTo = kTo; thirdJob = l; thirdTo = lTo
                } else if delta <= bestDelta + 1e-12 {
                    let tie = random.next()
                    if tie > bestTie { bestTie = tie; moveJob = j; moveTo = to; swapJob = k; swapTo = kTo; thirdJob = l; thirdTo = lTo }
                }
            }
            for i in 0..<agents { overNow[i] = over(i, load[i]) }
            let overloaded = overNow.reduce(0, +)
            for j in 0..<jobs {
                let a = agentOf[j]
                let aj = a * jobs + j
                let loadA = load[a] - use[aj]
                let penaltyA = weight[a] * (excess(a, loadA) - excess(a, load[a]))
                let overAfterA = overloaded - overNow[a] + over(a, loadA)
                for i in 0..<agents where i != a {
                    let ij = i * jobs + j
                    let u = use[ij]
                    guard u.isFinite else { continue }
                    let costDelta = cost[ij] - cost[aj]
                    let newLoad = load[i] + u
                    let delta = costDelta + penaltyA + weight[i] * (excess(i, newLoad) - excess(i, load[i]))
                    let overAfter = overAfterA - overNow[i] + over(i, newLoad)
                    consider(delta, costDelta, feasibleAfter: overAfter == 0, tabu: tabuUntil[ij] > step, j, i, -1, -1)
                }
            }
            for j in 0..<jobs {
                let a = agentOf[j]
                let aj = a * jobs + j
                for k in (j + 1)..<max(j + 1, jobs) {
                    let b = agentOf[k]
                    guard b != a else { continue }
                    let bj = b * jobs + j, ak = a * jobs + k, bk = b * jobs + k
                    guard use[bj].isFinite, use[ak].isFinite else { continue }
                    let costDelta = cost[bj] + cost[ak] - cost[aj] - cost[bk]
                    let loadA = load[a] - use[aj] + use[ak]
                    let loadB = load[b] - use[bk] + use[bj]
                    let delta = costDelta + weight[a] * (excess(a, loadA) - excess(a, load[a])) + weight[b] * (excess(b, loadB) - excess(b, load[b]))
                    let overAfter = overloaded - overNow[a] - overNow[b] + over(a, loadA) + over(b, loadB)
                    consider(delta, costDelta, feasibleAfter: overAfter == 0, tabu: tabuUntil[bj] > step || tabuUntil[ak] > step, j, b, k, a)
                }
            }
            // Chains of two shifts: job j to agent b, and one of b's jobs on to a third agent c, each among
            // the job's few best agents (a swap is the chain with c = a).
            if chainWidth > 0 {
                for m in members.indices { members[m].removeAll(keepingCapacity: true) }
                for (j, i) in agentOf.enumerated() { members[i].append(j) }
                for j in 0..<jobs {
                    let a = agentOf[j]
                    let aj = a * jobs + j
                    let loadA = load[a] - use[aj]
                    let overAfterA = overloaded - overNow[a] + over(a, loadA)
                    let penaltyA = weight[a] * (excess(a, loadA) - excess(a, load[a]))
                    for b in candidates[j] where b != a {
                        let bj = b * jobs + j
                        let tabuJ = tabuUntil[bj] > step
                        let costJ = cost[bj] - cost[aj]
                        // The chain of two that this start extends to a third shift: the best by penalised cost.
                        var lead: (k: Int, c: Int, delta: Double, penaltyB: Double, overAfterAB: Int)? = nil
                        for k in members[b] {
                            let bk = b * jobs + k
                            let loadB = load[b] + use[bj] - use[bk]
                            let penaltyB = weight[b] * (excess(b, loadB) - excess(b, load[b]))
                            let overAfterAB = overAfterA - overNow[b] + over(b, loadB)
                            for c in candidates[k] where c != b && c != a {
                                let ck = c * jobs + k
                                let loadC = load[c] + use[ck]
                                let costDelta = costJ + cost[ck] - cost[bk]
                                let delta = costDelta + penaltyA + penaltyB + weight[c] * (excess(c, loadC) - excess(c, load[c]))
                                if chainDepth > 2, lead == nil || delta < lead!.delta { lead = (k, c, delta, penaltyB, overAfterAB) }
                                guard delta < bestDelta + 1e-12 else { continue }
                                let overAfter = overAfterAB - overNow[c] + over(c, loadC)
                                consider(delta, costDelta, feasibleAfter: overAfter == 0, tabu: tabuJ || tabuUntil[ck] > step, j, b, k, c)
                            }
                        }
                        // A third shift: one of c's jobs, l, on to a fourth agent d (a, b, c and d all different).
                        guard let lead else { continue }
                        let k = lead.k, c = lead.c, penaltyB = lead.penaltyB, overAfterAB = lead.overAfterAB
                        let bk = b * jobs + k, ck = c * jobs + k
                        let costJK = costJ + cost[ck] - cost[bk]
                        let tabuJK = tabuJ || tabuUntil[ck] > step
                        for l in members[c] where l != k {
                            let cl = c * jobs + l
                            let loadC = load[c] + use[ck] - use[cl]
                            let penaltyC = weight[c] * (excess(c, loadC) - excess(c, load[c]))
                            let overAfterABC = overAfterAB - overNow[c] + over(c, loadC)
                            for d in candidates[l] where d != a && d != b && d != c {
                                let dl = d * jobs + l
                                let loadD = load[d] + use[dl]
                                let costDelta = costJK + cost[dl] - cost[cl]
                                let delta = costDelta + penaltyA + penaltyB + penaltyC + weight[d] * (excess(d, loadD) - excess(d, load[d]))
                                guard delta < bestDelta + 1e-12 else { continue }
                                let overAfter = overAfterABC - overNow[d] + over(d, loadD)
                                consider(delta, costDelta, feasibleAfter: overAfter == 0, tabu: tabuJK || tabuUntil[dl] > step, j, b, k, c, l, d)
                            }
                        }
                    }
                }
            }
            guard moveJob >= 0 else { break }
            // Apply, one shift at a time in the chain's order; the agent a job leaves is tabu for it for a while.
            func shift(_ job: Int, to target: Int) {
                let from = agentOf[job]
                tabuUntil[from * jobs + job] = step + tenureBase + random.int(0...tenureSpread - 1)
                current += cost[target * jobs + job] - cost[from * jobs + job]
                load[from] -= use[from * jobs + job]
                load[target] += use[target * jobs + job]
                agentOf[job] = target
            }
            shift(moveJob, to: moveTo)
            if swapJob >= 0 { shift(swapJob, to: swapTo) }
            if thirdJob >= 0 { shift(thirdJob, to: thirdTo) }
            let feasible = (0..<agents).allSatisfy { over($0, load[$0]) == 0 }
            if feasible, current < best.cost - 1e-9 {
                // Recomputed, not accumulated, so rounding never drifts into the reported plan.
                current = totalCost(agentOf)
                if current < best.cost - 1e-9 {
                    best = (agentOf, current)
                    improvements += 1
                    sinceBest = 0
                    sinceBetter = 0
                    found?(agentOf)
                }
            } else {
                sinceBest += 1
                sinceBetter += 1
                if sinceBetter >= stall { break }
            }
            // Oscillation: agents over capacity get dearer, and a plan that fits makes every agent cheaper.
            if feasible {
                for i in 0..<agents { weight[i] = max(baseWeight * 0.01, weight[i] * weightDown) }
            } else {
                for i in 0..<agents where over(i, load[i]) == 1 { weight[i] *= weightUp }
            }
            // Long without a better plan: back to the best one. The weights stay: they are what makes the next
            // path differ from the last (reset to the start, 9 of 120 runs on small packed instances missed the optimum).
            if sinceBest >= patience {
                agentOf = best.agentOf
                load = [Double](repeating: 0, count: agents)
                for (j, i) in agentOf.enumerated() { load[i] += use[i * jobs + j] }
                current = best.cost
                sinceBest = 0
            }
        }
        return Outcome(agentOfJob: best.agentOf, cost: best.cost, iterations: step, improvements: improvements)
    }
}
