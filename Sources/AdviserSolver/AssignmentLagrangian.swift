import AdviserModel

/// The Lagrangian bound of the generalized assignment problem, and the pairs it rules out.
///
/// Pricing each job's "exactly one agent" row with a multiplier leaves one 0-1 knapsack per agent, solved
/// exactly by dynamic programming over the (integer) capacity. Unlike the LP relaxation, which lets every
/// agent take fractions of jobs, each agent here must pack whole jobs, so the bound is the LP bound with
/// every agent's knapsack convex hull: on OR-Library gapc-6 it is 2390.15 against GLPK's 2389, enough with
/// integer costs to prove a plan of 2391 optimal.
///
/// The same multipliers rule pairs out. Forcing job j onto agent i (and off the others) costs the
/// knapsacks something; when the bound plus that cost exceeds the worst plan still worth finding, no such
/// plan gives j to i (after Fisher's and Jörnsten-Näsberg's Lagrangian reduced costs, as used by Posta,
/// Ferland and Michelon, 2012). With the best known plan of gapb-4 this leaves 286 of 2,000 pairs.
///
/// Everything is in minimisation terms; `init` returns nil when the knapsacks cannot be solved exactly
/// (resources or capacities not whole numbers, or tables too large).
struct AssignmentLagrangian: Sendable {
    let agents: Int
    let jobs: Int
    /// cost[i * jobs + j] of giving job j to agent i.
    let cost: [Double]
    /// weight[i * jobs + j]: whole units of agent i's capacity job j uses; -1 where the pair is shut out.
    private(set) var weight: [Int]
    let capacity: [Int]

    /// - Parameters:
    ///   - use: resource per pair, infinity where a pair is shut out.
    ///   - maxTableCells: the largest dynamic-programming table (jobs x capacity) worth building.
    init?(agents: Int, jobs: Int, cost: [Double], use: [Double], capacity: [Double], maxTableCells: Int = 4_000_000) {
        guard agents > 0, jobs > 0, cost.count == agents * jobs, use.count == agents * jobs, capacity.count == agents else { return nil }
        var weight = [Int](repeating: -1, count: agents * jobs)
        for k in 0..<(agents * jobs) where use[k].isFinite {
            guard use[k] >= 0, use[k] == use[k].rounded(), use[k] < 1e9, cost[k].isFinite else { return nil }
            weight[k] = Int(use[k])
        }
        var whole: [Int] = []
        for b in capacity {
            guard b.isFinite, b == b.rounded(), b >= 0, b < 1e9 else { return nil }
            whole.append(Int(b))
        }
        // Only as much capacity as the agent's jobs could ever fill needs a table cell.
        for i in 0..<agents {
            var total = 0
            for j in 0..<jobs where weight[i * jobs + j] >= 0 { total += weight[i * jobs + j] }
            whole[i] = min(whole[i], total)
            guard (jobs + 1) * (whole[i] + 1) <= maxTableCells else { return nil }
        }
        self.agents = agents
        self.jobs = jobs
        self.cost = cost
        self.weight = weight
        self.capacity = whole
    }

    /// The same relaxation with the `excluded` pairs shut out as well.
    func restricted(excluding excluded: [Bool]) -> AssignmentLagrangian {
        var copy = self
        for k in 0..<(agents * jobs) where excluded[k] { copy.weight[k] = -1 }
        return copy
    }

    /// Multipliers of the jobs' rows and the bound they give (a valid lower bound on every plan's cost).
    struct Dual: Sendable {
        var multipliers: [Double]
        var bound: Double
        var iterations: Int
    }

    /// Jobs agent i packs at prices `u` (profit u_j - cost), and their profit.
    private func knapsack(_ i: Int, _ u: [Double], scratch: inout Scratch) -> Double {
        let base = i * jobs
        var profit = 0.0, total = 0
        scratch.items.removeAll(keepingCapacity: true)
        for j in 0..<jobs {
            scratch.chosen[j] = false
            let w = weight[base + j]
            guard w >= 0, w <= capacity[i], u[j] - cost[base + j] > 1e-12 else { continue }
            if w == 0 { scratch.chosen[j] = true; profit += u[j] - cost[base + j] } else { scratch.items.append(j); total += w }
        }
        if total <= capacity[i] {
            for j in scratch.items { scratch.chosen[j] = true; profit += u[j] - cost[base + j] }
            return profit
        }
        let cap = capacity[i]
        let items = scratch.items
        let width = cap + 1
        if scratch.table.count < 2 * width { scratch.table = [Double](repeating: 0, count: 2 * width) }
        if scratch.take.count < items.count * width { scratch.take = [UInt8](repeating: 0, count: items.count * width) }
        var chosen = scratch.chosen
        scratch.chosen = []
        defer { scratch.chosen = chosen }
        // The hot loop of the whole relaxation. Two rows (before and after each job) rather than one updated in
        // place, so no cell depends on another of the same pass and the loop needs no branch: the compiler can
        // vectorise it. Unchecked buffers; `take` records where taking the job was better.
        let value = scratch.table.withUnsafeMutableBufferPointer { table -> Double in
            scratch.take.withUnsafeMutableBufferPointer { take -> Double in
                var previous = table.baseAddress!, next = previous + width
                for c in 0..<width { previous[c] = 0 }
                let taken = take.baseAddress!
                for (k, j) in items.enumerated() {
                    let w = weight[base + j], p = u[j] - cost[base + j]
                    let row = taken + k * width
                    for c in 0..<w { next[c] = previous[c]; row[c] = 0 }
                    for c in w..<width {
                        let skip = previous[c], with = previous[c - w] + p
                        let better = with > skip
                        next[c] = better ? with : skip
                        row[c] = better ? 1 : 0
                    }
                    swap(&previous, &next)
                }
                var c = cap
                for k in stride(from: items.count - 1, through: 0, by: -1) where taken[k * width + c] == 1 {
                    chosen[items[k]] = true
                    c -= weight[base + items[k]]
                }
                return previous[cap]
            }
        }
        return profit + value
    }

    /// The bound at multipliers `u`, and how many agents took each job (and, when asked, which: packed[i * jobs + j]).
    private func evaluate(_ u: [Double], takers: inout [Int], scratch: inout Scratch, packed: UnsafeMutableBufferPointer<Bool>? = nil) -> Double {
        var bound = u.reduce(0, +)
        for j in 0..<jobs { takers[j] = 0 }
        for i in 0..<agents {
            bound -= knapsack(i, u, scratch: &scratch)
            for j in 0..<jobs where scratch.chosen[j] {
                takers[j] += 1
                packed?[i * jobs + j] = true
            }
        }
        return bound
    }

    /// Which jobs each agent packs at multipliers `u`: packed[i * jobs + j].
    func packing(_ u: [Double]) -> [Bool] {
        var packed = [Bool](repeating: false, count: agents * jobs)
        var scratch = Scratch(chosen: [Bool](repeating: false, count: jobs))
        var takers = [Int](repeating: 0, count: jobs)
        packed.withUnsafeMutableBufferPointer { _ = evaluate(u, takers: &takers, scratch: &scratch, packed: $0) }
        return packed
    }

    private struct Scratch {
        var table: [Double] = []
        var chosen: [Bool]
        var take: [UInt8] = []
        var items: [Int] = []
    }

    /// Subgradient ascent (Polyak steps towards `target`, the cost of a known plan), from `start` or each job's
    /// cheapest cost. The step factor starts at `factor` and halves after `patience` steps without a better
    /// bound; it ends when the factor is below 1e-4, after `iterations` steps, once the bound passes
    /// `stopAbove`, at the deadline, or when every job is taken exactly once (then a plan reaches the bound).
    /// Deterministic: the deadline can only end it sooner.
    func dual(target: Double, start: [Double]? = nil, iterations: Int = 3_000, factor initialFactor: Double = 2, patience: Int = 20,
              stopAbove: Double = .infinity, deadline: ContinuousClock.Instant? = nil, shouldStop: (() -> Bool)? = nil) -> Dual {
        var u: [Double]
        if let start { u = start } else {
            u = [Double](repeating: 0, count: jobs)
            for j in 0..<jobs {
                var cheapest = Double.infinity
                for i in 0..<agents where weight[i * jobs + j] >= 0 { cheapest = min(cheapest, cost[i * jobs + j]) }
                u[j] = cheapest.isFinite ? cheapest : 0
            }
        }
        var scratch = Scratch(chosen: [Bool](repeating: false, count: jobs))
        var takers = [Int](repeating: 0, count: jobs)
        var best = Dual(multipliers: u, bound: -.infinity, iterations: 0)
        var factor = initialFactor, sinceBetter = 0
        let clock = ContinuousClock()
        var step = 0
        while step < iterations {
            if step & 15 == 0 {
                if let deadline, clock.now >= deadline { break }
                if shouldStop?() == true { break }
            }
            step += 1
            let bound = evaluate(u, takers: &takers, scratch: &scratch)
            if bound > best.bound + 1e-9 {
                best = Dual(multipliers: u, bound: bound, iterations: step)
                sinceBetter = 0
                if bound > stopAbove { break }
            } else {
                sinceBetter += 1
                if sinceBetter >= patience { factor /= 2; sinceBetter = 0 }
            }
            var norm = 0.0
            for j in 0..<jobs { let g = Double(1 - takers[j]); norm += g * g }
            if norm == 0 || factor < 1e-4 { break }
            // A target at or below the bound would stop the steps: aim a little above it.
            let aim = max(target, bound + 1e-3 * max(1, abs(bound)))
            let length = factor * (aim - bound) / norm
            for j in 0..<jobs { u[j] += length * Double(1 - takers[j]) }
        }
        best.iterations = step
        return best
    }

    /// Bounds on every plan that gives job j to agent i (`onto[i * jobs + j]`: i must take it and every other
    /// agent must not), and on every plan that keeps it off agent i (`off`); infinity for shut-out pairs.
    func forcedBounds(_ dual: Dual) -> (onto: [Double], off: [Double]) {
        // forcedIn[i * jobs + j]: what agent i's knapsack loses when it must take j; forcedOut: when it may not.
        var forcedIn = [Double](repeating: .infinity, count: agents * jobs)
        var forcedOut = [Double](repeating: 0, count: agents * jobs)
        for i in 0..<agents { lossesWhenForced(i, dual.multipliers, forcedIn: &forcedIn, forcedOut: &forcedOut) }
        var onto = [Double](repeating: .infinity, count: agents * jobs), off = onto
        for j in 0..<jobs {
            var outOfAll = 0.0
            for i in 0..<agents { outOfAll += forcedOut[i * jobs + j] }
            for i in 0..<agents where weight[i * jobs + j] >= 0 {
                let k = i * jobs + j
                onto[k] = dual.bound + forcedIn[k] + (outOfAll - forcedOut[k])
                off[k] = dual.bound + forcedOut[k]
            }
        }
        return (onto, off)
    }

    /// Pairs that no plan costing `worst` or less can use: forcing the job onto the agent raises the bound
    /// above `worst`, or keeping it off another agent whose knapsack cannot do without it does. `worst` is the
    /// dearest plan still wanted: with whole-number costs, one below the best known. A tolerance keeps
    /// rounding from ruling out a pair that only ties.
    func excludedPairs(_ dual: Dual, worst: Double) -> [Bool] {
        excludedPairs(forcedBounds(dual), worst: worst)
    }

    /// The same from bounds already computed by `forcedBounds`.
    func excludedPairs(_ bounds: (onto: [Double], off: [Double]), worst: Double) -> [Bool] {
        let (onto, off) = bounds
        let tolerance = 1e-7 * max(1, abs(worst))
        var excluded = [Bool](repeating: false, count: agents * jobs)
        for j in 0..<jobs {
            for i in 0..<agents {
                let k = i * jobs + j
                if weight[k] < 0 || onto[k] > worst + tolerance { excluded[k] = true }
                // j kept off agent i is too dear: j must go to i.
                if weight[k] >= 0 && off[k] > worst + tolerance {
                    for other in 0..<agents where other != i { excluded[other * jobs + j] = true }
                }
            }
        }
        return excluded
    }

    /// Agent i's knapsack losses at prices `u` when each job is forced in or kept out, from tables of the
    /// best packings of the jobs before and after it.
    private func lossesWhenForced(_ i: Int, _ u: [Double], forcedIn: inout [Double], forcedOut: inout [Double]) {
        let base = i * jobs
        let cap = capacity[i]
        // Jobs worth packing at these prices: a forced-in job outside them only displaces packed ones.
        var free = 0.0
        var items: [Int] = []
        for j in 0..<jobs {
            let w = weight[base + j]
            guard w >= 0, w <= cap, u[j] - cost[base + j] > 1e-12 else { continue }
            if w == 0 { free += u[j] - cost[base + j] } else { items.append(j) }
        }
        let width = cap + 1
        // before[k * width + c]: best profit of items[0..<k] within c; after[k * width + c]: of items[k...].
        var before = [Double](repeating: 0, count: (items.count + 1) * width)
        var after = before
        for (k, j) in items.enumerated() {
            let w = weight[base + j], p = u[j] - cost[base + j]
            for c in 0..<width {
                let skip = before[k * width + c]
                before[(k + 1) * width + c] = c >= w ? max(skip, before[k * width + c - w] + p) : skip
            }
        }
        for k in stride(from: items.count - 1, through: 0, by: -1) {
            let j = items[k]
            let w = weight[base + j], p = u[j] - cost[base + j]
            for c in 0..<width {
                let skip = after[(k + 1) * width + c]
                after[k * width + c] = c >= w ? max(skip, after[(k + 1) * width + c - w] + p) : skip
            }
        }
        let best = before[items.count * width + cap] + free
        var position = [Int](repeating: -1, count: jobs)
        for (k, j) in items.enumerated() { position[j] = k }
        // Best packing without items[k] within c.
        func without(_ k: Int, _ c: Int) -> Double {
            var value = -Double.infinity
            for left in 0...c { value = max(value, before[k * width + left] + after[(k + 1) * width + c - left]) }
            return value
        }
        for j in 0..<jobs {
            let w = weight[base + j]
            guard w >= 0, w <= cap else { continue }
            let p = u[j] - cost[base + j]
            let k = position[j]
            if k < 0 {
                // Not among the profitable items: forced in, it takes p (at most 0, or a free job) and leaves cap - w.
                if w == 0 && p > 1e-12 {
                    forcedOut[base + j] = p  // a free job the knapsack always packs
                    forcedIn[base + j] = 0
                } else {
                    forcedIn[base + j] = max(0, best - (free + p + before[items.count * width + cap - w]))
                }
            } else {
                forcedIn[base + j] = max(0, best - (free + p + without(k, cap - w)))
                forcedOut[base + j] = max(0, best - (free + without(k, cap)))
            }
        }
    }
}
