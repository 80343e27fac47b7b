import AdviserModel
import Testing
@testable import AdviserSolver

/// Deterministic pseudo-random numbers (SplitMix64), so every run tests the same instances.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
}

/// An exhaustive search over every allocation of a small scenario, written from the rules in README.md and
/// sharing no code with the formulation: it enumerates, per school, the lead and how each need's days are
/// split between advisers, and keeps the best objective that satisfies capacity, school limits and budget.
struct BruteForce {
    let s: Scenario

    func minutes(_ a: Adviser, _ school: School) -> Double { s.measuredTravelMinutes[PairKey(adviser: a.id, school: school.id)]! }

    func eligible(_ a: Adviser, _ school: School) -> Bool {
        if a.homeSchool == school.id || !a.phases.contains(school.phase) { return false }
        if s.rules.independence != .none, let t = school.trust, t == a.employerTrust { return false }
        if s.rules.independence == .localAuthority, a.employerLocalAuthority == school.localAuthority { return false }
        if minutes(a, school) > s.rules.maxTravelMinutes { return false }
        let areas = s.needs.filter { $0.school == school.id }.map(\.area)
        return areas.isEmpty || areas.contains { a.level(in: $0) > 0 }
    }

    /// One school's choice: a lead (or none) and units per adviser for each of its needs.
    struct Option {
        var lead: Int?
        var units: [[Int]]  // [need][adviser]
    }

    func options(for school: School) -> [Option] {
        let needs = s.needs.filter { $0.school == school.id }
        let ok = s.advisers.indices.filter { eligible(s.advisers[$0], school) }
        // Without require_lead there are no leads at all: every pairing is a specialist's.
        let leads: [Int?] = s.rules.requireLead ? ok.map { Optional($0) } : [nil]
        var splits: [[[Int]]] = [[]]
        for need in needs {
            let candidates = ok.filter { s.advisers[$0].level(in: need.area) > 0 }
            var ways: [[Int]] = [[Int](repeating: 0, count: s.advisers.count)]
            for a in candidates {
                ways = ways.flatMap { way -> [[Int]] in
                    let used = way.reduce(0, +)
                    return (0...(Int(need.days) - used)).map { k in var w = way; w[a] = k; return w }
                }
            }
            splits = splits.flatMap { prefix in ways.map { prefix + [$0] } }
        }
        return leads.flatMap { lead in splits.map { Option(lead: lead, units: $0) } }
    }

    /// Objective terms of one school's option, and the capacity, cost and pairings it uses.
    func evaluate(_ school: School, _ option: Option) -> (value: Double, capacity: [Double], cost: Double, pairs: [Bool]) {
        let w = s.weights
        let needs = s.needs.filter { $0.school == school.id }
        var value = 0.0, cost = 0.0
        var capacity = [Double](repeating: 0, count: s.advisers.count)
        var used = [Bool](repeating: false, count: s.advisers.count)
        let hours = s.rules.workingDayHours * 60
        for (k, need) in needs.enumerated() {
            var covered = 0
            for (a, adviser) in s.advisers.enumerated() where option.units[k][a] > 0 {
                let days = Double(option.units[k][a])
                let m = minutes(adviser, school)
                covered += option.units[k][a]
                value += days * (w.expertise * Double(adviser.level(in: need.area) * need.priority) * (1 + w.disadvantage * school.disadvantagedPercent / 100) - w.travel * 2 * m)
                capacity[a] += days * (1 + 2 * m / hours)
                cost += days * adviser.dayRate
                used[a] = true
            }
            value -= w.unmetPenalty * Double(need.priority) * (need.days - Double(covered))
        }
        if let a = option.lead {
            let adviser = s.advisers[a], m = minutes(adviser, school)
            value -= w.travel * 2 * m * s.rules.leadDays
            capacity[a] += s.rules.leadDays * (1 + 2 * m / hours)
            cost += s.rules.leadDays * adviser.dayRate
            used[a] = true
        }
        for entry in s.roster where entry.school == school.id {
            guard let a = s.advisers.firstIndex(where: { $0.id == entry.adviser }), used[a] else { continue }
            value += w.continuity
            if entry.role == .lead && option.lead == a { value += w.continuity }
        }
        return (value, capacity, cost, used)
    }

    /// Best objective, or nil when no allocation keeps every hard rule; also the number of leaves visited.
    func best() -> Double? {
        let perSchool = s.schools.map { school in options(for: school).map { (school, evaluate(school, $0)) } }
        var best: Double?
        var capacity = [Double](repeating: 0, count: s.advisers.count)
        var schools = [Int](repeating: 0, count: s.advisers.count)
        var cost = 0.0
        func search(_ i: Int, _ value: Double) {
            if i == perSchool.count {
                if best == nil || value > best! { best = value }
                return
            }
            for (_, e) in perSchool[i] {
                var ok = cost + e.cost <= (s.programme.budget ?? .infinity) + 1e-9
                for a in s.advisers.indices where ok {
                    if capacity[a] + e.capacity[a] > s.advisers[a].capacityDays + 1e-9 { ok = false }
                    if e.pairs[a] && schools[a] + 1 > s.advisers[a].maxSchools { ok = false }
                }
                guard ok else { continue }
                for a in s.advisers.indices { capacity[a] += e.capacity[a]; if e.pairs[a] { schools[a] += 1 } }
                cost += e.cost
                search(i + 1, value + e.value)
                for a in s.advisers.indices { capacity[a] -= e.capacity[a]; if e.pairs[a] { schools[a] -= 1 } }
                cost -= e.cost
            }
        }
        search(0, 0)
        return best
    }

    var searchSize: Double { s.schools.reduce(1.0) { $0 * Double(options(for: $1).count) } }
}

@Suite struct BruteForceCrossCheck {
    static func instance(seed: UInt64) -> Scenario {
        var r = SplitMix(state: seed)
        var b = ScenarioBuilder()
        let areas = ["literacy", "maths"]
        b.rules.independence = r.pick(IndependenceLevel.allCases)
        b.rules.requireLead = r.chance(0.7)
        b.rules.leadDays = Double(r.int(0...1))
        b.weights.continuity = 50
        let schoolCount = r.int(2...5)
        for i in 1...schoolCount {
            b.school("S\(i)", phase: r.pick([.primary, .secondary]), la: r.pick(["X", "Y"]), trust: r.pick([nil, "T1", "T2"]),
                     disadvantaged: Double(r.int(0...60)))
        }
        for i in 1...3 {
            var expertise: [String: Int] = [:]
            for area in areas where r.chance(0.7) { expertise[area] = r.int(1...3) }
            if expertise.isEmpty { expertise[r.pick(areas)] = r.int(1...3) }
            b.adviser("A\(i)", expertise, capacity: r.pick([1.5, 2, 3, 4, 6, 8]), maxSchools: r.int(1...3), rate: Double(r.int(3...8) * 100),
                      phases: r.pick([[.primary], [.secondary], [.primary, .secondary], [.primary, .secondary]]),
                      la: r.pick([nil, "X", "Y"]), trust: r.pick([nil, nil, "T1", "T2"]),
                      homeSchool: r.chance(0.1) ? "S\(r.int(1...schoolCount))" : nil)
        }
        for i in 1...schoolCount {
            let first = r.pick(areas)
            b.need("S\(i)", first, days: Double(r.int(1...2)), priority: r.int(1...3))
            if r.chance(0.3) { b.need("S\(i)", areas.first { $0 != first }!, days: 1, priority: r.int(1...3)) }
            for a in 1...3 { b.minutes("A\(a)", "S\(i)", Double(r.pick([5, 15, 30, 45, 70]))) }
        }
        if r.chance(0.4) { b.budget = Double(r.int(2...12) * 400) }
        for _ in 0..<r.int(0...2) {
            let entry = RosterEntry(adviser: "A\(r.int(1...3))", school: "S\(r.int(1...schoolCount))", role: r.pick([.lead, .specialist]))
            if !b.roster.contains(where: { $0.adviser == entry.adviser && $0.school == entry.school }) { b.roster.append(entry) }
        }
        return b.scenario
    }

    @Test(arguments: 1...150)
    func solverMatchesExhaustiveSearch(seed: Int) throws {
        let scenario = Self.instance(seed: UInt64(seed) &* 7919)
        let brute = BruteForce(s: scenario)
        // Keep each case quick: skip the rare draw whose search space is too large to enumerate.
        guard brute.searchSize < 3_000_000 else { return }
        let expected = brute.best()
        do {
            let plan = try AllocationSolver.solve(scenario).plan
            let best = try #require(expected, "the solver found a plan where exhaustive search found none")
            #expect(plan.status == .optimal)
            let objective = try #require(plan.objective)
            #expect(abs(objective - best) <= 1e-6 * max(1, abs(best)), "seed \(seed): solver \(objective), exhaustive \(best)")
            #expect(PlanChecker.check(plan, against: scenario) == [])
            // The bound that gives national plans their gap must never fall below a proven optimum.
            let priced = try #require(AllocationBound(AllocationFormulation(scenario: scenario)).bound(incumbent: best, direction: 1, passes: 300))
            #expect(priced >= best - 1e-6 * max(1, abs(best)), "seed \(seed): bound \(priced) below the optimum \(best)")
            // Beside the heuristic the search aims at a rough plan, then goes on from its prices towards the
            // real one: never looser than where it started, never below the optimum.
            let bound = AllocationBound(AllocationFormulation(scenario: scenario))
            let rough = try #require(bound.search(incumbent: best - abs(best) - 1_000, direction: 1, passes: 100))
            let continued = try #require(bound.search(incumbent: best, direction: 1, passes: 100, from: rough))
            #expect(continued.bound <= rough.bound)
            #expect(continued.bound >= best - 1e-6 * max(1, abs(best)), "seed \(seed): bound \(continued.bound) below the optimum \(best)")
        } catch let error as AllocationError {
            guard case .noFeasiblePlan = error else { throw error }
            #expect(expected == nil, "seed \(seed): solver says infeasible, exhaustive search found \(expected ?? 0)")
        }
    }
}

extension BruteForceCrossCheck {
    /// Guards the cross-check itself: most instances must really be enumerated, and both outcomes occur.
    @Test func crossCheckCoversFeasibleAndInfeasibleInstances() {
        var enumerated = 0, feasible = 0, infeasible = 0, largest = 0.0
        for seed in 1...150 {
            let brute = BruteForce(s: Self.instance(seed: UInt64(seed) &* 7919))
            let size = brute.searchSize
            guard size < 3_000_000 else { continue }
            enumerated += 1
            largest = max(largest, size)
            if brute.best() == nil { infeasible += 1 } else { feasible += 1 }
        }
        #expect(enumerated >= 140)
        #expect(feasible >= 70)
        #expect(infeasible >= 10)
        #expect(largest >= 1000)
        print("brute force: \(enumerated) enumerated, \(feasible) feasible, \(infeasible) infeasible, largest search \(Int(largest))")
    }
}
