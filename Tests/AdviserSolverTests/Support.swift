import AdviserModel
import Foundation
@testable import AdviserSolver

/// What callbacks told, in order, from whichever thread they ran on.
final class Recorder<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []
    func record(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
    var count: Int { lock.withLock { values.count } }
}

/// Builds small scenarios in code, with measured travel so every figure is known exactly.
struct ScenarioBuilder {
    var rules = Rules()
    var weights = Weights()
    var schools: [School] = []
    var advisers: [Adviser] = []
    var needs: [Need] = []
    var roster: [RosterEntry] = []
    var travel: [PairKey: Double] = [:]
    var budget: Double?

    init() {
        rules.leadDays = 1
        rules.maxTravelMinutes = 60
        rules.independence = .localAuthority
        weights.travel = 0.05
    }

    mutating func school(_ id: String, phase: Phase = .primary, la: String = "Knowsley", trust: String? = nil, disadvantaged: Double = 20) {
        schools.append(School(id: id, name: "School \(id)", phase: phase, localAuthority: la, trust: trust, pupils: 200,
                              disadvantagedPercent: disadvantaged, location: GeoPoint(latitude: 53.4, longitude: -2.8)))
    }

    mutating func adviser(_ id: String, _ expertise: [String: Int], capacity: Double = 20, maxSchools: Int = 5, rate: Double = 500,
                          phases: [Phase] = [.primary, .secondary], la: String? = "Wigan", trust: String? = nil, homeSchool: String? = nil) {
        advisers.append(Adviser(id: id, name: "Adviser \(id)", role: "adviser", home: GeoPoint(latitude: 53.4, longitude: -2.8),
                                phases: phases, expertise: expertise.keys.sorted().map { Expertise(area: $0, level: expertise[$0]!) },
                                capacityDays: capacity, maxSchools: maxSchools, dayRate: rate, employerTrust: trust,
                                employerLocalAuthority: la, homeSchool: homeSchool))
    }

    mutating func need(_ school: String, _ area: String, days: Double, priority: Int) {
        needs.append(Need(school: school, area: area, days: days, priority: priority))
    }

    mutating func minutes(_ adviser: String, _ school: String, _ value: Double) {
        travel[PairKey(adviser: adviser, school: school)] = value
    }

    var scenario: Scenario {
        // Unlisted pairs travel 10 minutes, so estimates from coordinates never decide a test.
        var all = travel
        for a in advisers { for s in schools where all[PairKey(adviser: a.id, school: s.id)] == nil { all[PairKey(adviser: a.id, school: s.id)] = 10 } }
        return Scenario(programme: Programme(name: "test", start: CivilDate(year: 2026, month: 9, day: 1)!, end: CivilDate(year: 2027, month: 7, day: 21)!, budget: budget),
                        rules: rules, weights: weights, schools: schools, advisers: advisers, needs: needs, roster: roster,
                        measuredTravelMinutes: all, fingerprint: "sha256:test")
    }
}

/// Two separate clusters: S1 (literacy: A1, and A2 10 minutes away) and S2 (science: A3 with 3 days, A4 with
/// 20), with the plan made without A4, so that S2 has 2 science days unmet where A4 could meet them: a base
/// plan that a re-plan around a change at S1 must keep at S2, and that a whole re-plan improves there.
func twoClusters() throws -> (scenario: ScenarioBuilder, baseWithoutA4: Plan) {
    var b = ScenarioBuilder()
    b.school("S1")
    b.school("S2")
    b.adviser("A1", ["literacy": 3])
    b.adviser("A2", ["literacy": 2])
    b.adviser("A3", ["science": 2], capacity: 3)
    b.adviser("A4", ["science": 2])
    for a in ["A1", "A2", "A3", "A4"] { for s in ["S1", "S2"] { b.minutes(a, s, a == "A2" ? 10 : 0) } }
    b.need("S1", "literacy", days: 2, priority: 2)
    b.need("S2", "science", days: 4, priority: 2)
    var withoutA4 = b
    withoutA4.advisers.removeAll { $0.id == "A4" }
    return (b, try AllocationSolver.solve(withoutA4.scenario).plan)
}

/// A compact, order-independent view of a plan's roster for exact comparisons:
/// "A1>S1 lead literacy:2" per assignment, sorted.
func rosterLines(_ plan: Plan) -> [String] {
    plan.assignments.map { a in
        let areas = a.days.keys.sorted().map { "\($0):\(formatNumber(a.days[$0]!))" }.joined(separator: ",")
        return "\(a.adviser)>\(a.school) \(a.role.rawValue)" + (areas.isEmpty ? "" : " " + areas)
    }.sorted()
}

/// Two schools with a 3-day priority-3 literacy need each (S1 50% disadvantaged, S2 10%); A1 is the
/// expert (level 3) with the given capacity, A2 a level-2 alternative with 10 days; no leads.
/// Value per day = 10 x level x priority x (1 + disadvantaged%/100) - 0.05 x 2 x minutes:
/// A1 at S1 134, at S2 98; A2 at S1 89, at S2 65.
func twoSchoolsOneExpert(capacity: Double) -> Scenario {
    var b = ScenarioBuilder()
    b.rules.requireLead = false
    b.rules.leadDays = 0
    b.school("S1", disadvantaged: 50)
    b.school("S2", disadvantaged: 10)
    b.adviser("A1", ["literacy": 3], capacity: capacity)
    b.adviser("A2", ["literacy": 2], capacity: 10)
    b.need("S1", "literacy", days: 3, priority: 3)
    b.need("S2", "literacy", days: 3, priority: 3)
    return b.scenario
}
