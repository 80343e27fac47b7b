import AdviserModel
import Foundation

/// An upper bound on the allocation's objective that needs no LP. Two rows per adviser are priced (a
/// Lagrangian multiplier each): their capacity, and their school limit in the form the LP implies: a pair's
/// load is at most `bigM` times its pairing variable, so Σ over the adviser's pairs of load / bigM is at most
/// `max_schools`. Every other row that couples needs is dropped (the pairing links themselves, the budget).
/// What is left falls apart by need: each unit of a need goes to its best candidate at the priced value, or
/// stays unmet, and each school takes its best-priced lead. A subgradient search over the prices tightens
/// the bound; every price vector gives a valid bound.
///
/// It is what gives a national programme a gap: GLPK's simplex needs hours for the LP relaxation of
/// 700,000 columns, so without it the plan would be returned with no bound at all.
struct AllocationBound: Sendable {
    private let objectiveConstant: Double
    /// Per candidate: value per unit, units available, capacity per unit, adviser, need.
    private let value: [Double], units: [Double], resource: [Double], adviser: [Int]
    /// Per candidate: the share of one school place that a unit takes (resource / the pair's bigM).
    private let place: [Double]
    /// Candidates of each need, and each need's units and unmet value per unit (negative).
    private let candidatesOfNeed: [[Int]]
    private let needUnits: [Double], unmetValue: [Double]
    /// Lead options of each school (value, capacity, adviser), when the rules require a lead.
    private let leadsOfSchool: [[(value: Double, load: Double, place: Double, adviser: Int)]]
    private let capacity: [Double], places: [Double]
    /// Every other column at the better end of its bounds (pairing bonuses, anything a change added).
    private let restAtBest: Double
    /// False when some column outside the structure above is unbounded in the direction that pays.
    let isBounded: Bool

    init(_ f: AllocationFormulation) {
        let model = f.model
        let scenario = f.scenario
        let sign = model.direction == .maximize ? 1.0 : -1.0
        objectiveConstant = sign * model.objectiveConstant
        var covered = [Bool](repeating: false, count: model.columns.count)
        value = f.candidates.map { sign * model.columns[$0.column].objective }
        units = f.candidates.map { model.columns[$0.column].upper ?? 0 }
        resource = f.candidates.map(\.resourcePerUnit)
        adviser = f.candidates.map(\.adviser)
        // The load row's bigM of each pair, as the formulation built it.
        place = f.candidates.map { candidate in
            let m = f.pairs[candidate.pair].loadLimit
            return m > 0 ? candidate.resourcePerUnit / m : 0
        }
        var byNeed = [[Int]](repeating: [], count: f.unmetColumns.count)
        for (c, candidate) in f.candidates.enumerated() {
            byNeed[candidate.need].append(c)
            covered[candidate.column] = true
        }
        candidatesOfNeed = byNeed
        needUnits = f.unmetColumns.map { model.columns[$0].upper ?? 0 }
        unmetValue = f.unmetColumns.map { sign * model.columns[$0].objective }
        for u in f.unmetColumns { covered[u] = true }
        var leads = [[(value: Double, load: Double, place: Double, adviser: Int)]](repeating: [], count: scenario.schools.count)
        for pair in f.pairs {
            guard let l = pair.lead else { continue }
            covered[l] = true
            leads[pair.school].append((sign * model.columns[l].objective, pair.leadLoad,
                                       pair.loadLimit > 0 ? pair.leadLoad / pair.loadLimit : 0, pair.adviser))
        }
        // Without the rule there are no lead columns and nothing to choose per school.
        leadsOfSchool = scenario.rules.requireLead ? leads : []
        capacity = scenario.advisers.map(\.capacityDays)
        places = scenario.advisers.map { Double($0.maxSchools) }
        var rest = 0.0, bounded = true
        for (j, column) in model.columns.enumerated() where !covered[j] {
            let c = sign * column.objective
            let lower = column.kind == .binary ? max(column.lower ?? 0, 0) : column.lower
            let upper = column.kind == .binary ? min(column.upper ?? 1, 1) : column.upper
            if c > 0 { if let upper { rest += c * upper } else { bounded = false } }
            if c < 0 { if let lower { rest += c * lower } else { bounded = false } }
        }
        restAtBest = rest
        isBounded = bounded
    }

    /// The bound at `prices` (capacity prices of the advisers, then their school-place prices, all at least
    /// 0), and what the relaxed plan that attains it uses of each priced row, in the same order.
    private func evaluate(_ prices: [Double], used: inout [Double]) -> Double {
        let advisers = capacity.count
        for r in used.indices { used[r] = 0 }
        var total = objectiveConstant + restAtBest
        for a in 0..<advisers { total += prices[a] * capacity[a] + prices[advisers + a] * places[a] }
        var order: [(value: Double, candidate: Int)] = []
        for n in candidatesOfNeed.indices {
            order.removeAll(keepingCapacity: true)
            for c in candidatesOfNeed[n] {
                let a = adviser[c]
                let priced = value[c] - prices[a] * resource[c] - prices[advisers + a] * place[c]
                if priced > unmetValue[n] { order.append((priced, c)) }
            }
            // Best first; ties by candidate, so the relaxed plan (and the subgradient) never depends on sort order.
            order.sort { $0.value != $1.value ? $0.value > $1.value : $0.candidate < $1.candidate }
            var left = needUnits[n]
            for (priced, c) in order where left > 0 {
                let take = min(left, units[c])
                total += priced * take
                used[adviser[c]] += resource[c] * take
                used[advisers + adviser[c]] += place[c] * take
                left -= take
            }
            total += unmetValue[n] * left
        }
        for options in leadsOfSchool where !options.isEmpty {
            var best = 0
            var bestValue = -Double.infinity
            for (k, o) in options.enumerated() {
                let priced = o.value - prices[o.adviser] * o.load - prices[advisers + o.adviser] * o.place
                if priced > bestValue { bestValue = priced; best = k }
            }
            total += bestValue
            used[options[best].adviser] += options[best].load
            used[advisers + options[best].adviser] += options[best].place
        }
        return total
    }

    /// The best bound (in the model's own direction and sign) found in at most `passes` subgradient steps
    /// with Polyak step lengths towards `incumbent`, the objective of a plan in hand; stops early at
    /// `deadline`, when `shouldStop` says so, or when the bound meets the incumbent. Nil when unbounded.
    /// Not clamped to the incumbent: a caller that holds a plan takes the better of the two.
    func bound(incumbent: Double, direction sign: Double, passes: Int? = nil, deadline: ContinuousClock.Instant? = nil,
               shouldStop: (() -> Bool)? = nil) -> Double? {
        search(incumbent: incumbent, direction: sign, passes: passes, deadline: deadline, shouldStop: shouldStop)?.bound
    }

    /// What `bound` found and how: the passes made and the patience they were given, for the solver's log,
    /// and the prices and step length it ended with, from which another search can go on.
    struct Search: Sendable {
        var bound: Double
        var passes: Int
        var patience: Int
        fileprivate var prices: [Double]
        fileprivate var step: Double
    }

    /// `bound`, with the passes made and the patience used; from the best prices and the step length of
    /// `earlier` when given (a search towards a rough incumbent, made beside the heuristic).
    func search(incumbent: Double, direction sign: Double, passes: Int? = nil, deadline: ContinuousClock.Instant? = nil,
                shouldStop: (() -> Bool)? = nil, from earlier: Search? = nil) -> Search? {
        guard isBounded else { return nil }
        // Subgradient steps converge slowly: 20,000 passes take a 1,000-school model from 27% above GLPK's
        // bound to 10%. A pass costs a sweep over the candidates, so large models get fewer, about a
        // billion candidate evaluations in all (1,400 passes, 40 s at 22,000 schools), and the same number on
        // any machine when there is no time limit.
        let passes = passes ?? min(20_000, max(100, 1_000_000_000 / max(1, value.count)))
        let goal = sign * incumbent
        let limits = capacity + places
        var prices = earlier?.prices ?? [Double](repeating: 0, count: limits.count)
        var used = [Double](repeating: 0, count: limits.count)
        var current = evaluate(prices, used: &used)
        let began = ContinuousClock.now
        // Steps halve after `patience` passes without a better bound. The first steps overshoot; with fewer
        // than 60 passes after the search (a national model without candidate_advisers: 3.6 million
        // candidates, about ten passes a second, once about half a second) the bound never left its first
        // value. So the patience is a tenth of the passes there is time for, at most 60 (no deadline: the
        // passes given), and a model with 600 passes or more in its time keeps the 60 it always had. The
        // passes there is time for are estimated every four passes from those made so far, not counting the
        // first, which can be slower than the rest.
        func patienceAfter(_ done: Int) -> Int {
            guard let deadline else { return min(60, max(3, passes / 10)) }
            let perPass = max(1e-6, seconds(since: began) / Double(done))
            let affordable = min(passes, done + Int(max(0, -seconds(since: deadline)) / perPass))
            return min(60, max(3, affordable / 10))
        }
        var patience = deadline == nil ? patienceAfter(0) : 60
        var best = current, bestPrices = prices
        var step = earlier?.step ?? 2.0, sinceImproved = 0, made = 0
        var g = [Double](repeating: 0, count: limits.count)
        for pass in 0..<passes {
            if current - goal <= 1e-9 * max(1, abs(goal)) { break }
            if (deadline.map { ContinuousClock.now >= $0 } ?? false) || (shouldStop?() ?? false) { break }
            if pass > 0 && pass % 4 == 0 { patience = patienceAfter(pass) }
            made = pass + 1
            // The bound moves by (limit − used) per unit of price; a zero price with room to spare stays.
            var norm = 0.0
            for r in limits.indices {
                let slack = limits[r] - used[r]
                g[r] = prices[r] == 0 && slack > 0 ? 0 : slack
                norm += g[r] * g[r]
            }
            guard norm > 0 else { break }
            let t = step * (current - goal) / norm
            for r in prices.indices { prices[r] = max(0, prices[r] - t * g[r]) }
            current = evaluate(prices, used: &used)
            if current < best - 1e-9 * max(1, abs(best)) {
                best = current; bestPrices = prices; sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= patience {
                    step /= 2; sinceImproved = 0
                    if step < 1e-6 { break }
                    prices = bestPrices
                    current = evaluate(prices, used: &used)
                }
            }
        }
        return Search(bound: sign * best, passes: made, patience: patience, prices: bestPrices, step: step)
    }
}

/// `AllocationBound` on a thread of its own while the heuristic runs on another: the heuristic is
/// single-threaded, so on two cores the second was idle for most of a national solve, and the bound's
/// subgradient search improves with every pass it is given. Its target is the heuristic's first plan;
/// `finish` stops it when the heuristic ends, and the bound after the search goes on from its prices.
final class BoundBesideHeuristic: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var outcome: (bound: AllocationBound, search: AllocationBound.Search?)?
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    /// Starts the search towards `incumbent` until `deadline`, `finish` or `shouldStop`.
    func start(_ formulation: AllocationFormulation, incumbent: Double, deadline: ContinuousClock.Instant,
               shouldStop: (@Sendable () -> Bool)?) {
        // Once only: a heuristic that starts from a first plan of its own tells its first plan too.
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            let bound = AllocationBound(formulation)
            // No pass limit: the deadline (the heuristic's) ends it.
            let search = bound.search(incumbent: incumbent, direction: 1, passes: Int.max, deadline: deadline,
                                      shouldStop: { self.isStopped || (shouldStop?() ?? false) })
            lock.withLock { outcome = (bound, search) }
            done.signal()
        }
        thread.start()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// Stops the search and returns the bound it built with what it found; nil when it never started.
    func finish() -> (bound: AllocationBound, search: AllocationBound.Search?)? {
        guard started else { return nil }
        lock.withLock { stopped = true }
        done.wait()
        return lock.withLock { outcome }
    }
}
