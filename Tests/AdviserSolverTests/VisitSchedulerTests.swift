import AdviserModel
import Testing
@testable import AdviserSolver

@Suite struct VisitSchedulerTests {
    func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    func assignment(_ adviser: String, _ school: String, days: [String: Double], lead: Double = 0) -> Plan.Assignment {
        Plan.Assignment(adviser: adviser, school: school, role: lead > 0 ? .lead : .specialist, days: days, leadDays: lead,
                        travelMinutes: 10, capacityDays: 0, cost: 0)
    }

    /// January 2026 term; school S1 open only on Mon 5, Wed 7 and Mon 19 January.
    func january(halfDays: Bool = true) -> Scenario {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 3])
        b.adviser("A2", ["literacy": 3])
        b.need("S1", "literacy", days: 2, priority: 2)
        var s = b.scenario
        s.programme.start = date("2026-01-05")
        s.programme.end = date("2026-01-30")
        s.terms = [Term(name: "Spring 2026", start: date("2026-01-05"), end: date("2026-01-30"), halfTerm: nil)]
        s.closures["S1"] = [
            DateRange(start: date("2026-01-06"), end: date("2026-01-06"), reason: "INSET day"),
            DateRange(start: date("2026-01-08"), end: date("2026-01-16"), reason: "building works"),
            DateRange(start: date("2026-01-20"), end: date("2026-01-30"), reason: "inspection"),
        ]
        s.visits.minGapDays = 7
        s.visits.halfDays = halfDays
        s.availability["A1"] = AdviserAvailability(adviser: "A1", weekdays: [1, 2, 3, 4, 5], preferredWeekdays: [3], maxDaysPerWeek: 3)
        return s
    }

    func plan(_ scenario: Scenario, _ assignments: [Plan.Assignment]) -> Plan {
        var plan = Plan(scenario: .init(name: "t", fingerprint: scenario.fingerprint), status: .optimal, objective: 0, bound: 0, gap: 0,
                        model: .init(variables: 0, integerVariables: 0, constraints: 0, nonzeros: 0), assignments: assignments, unmet: [])
        plan.describe(scenario)
        return plan
    }

    @Test func daysBecomeWholeAndHalfDayVisitsWithTheirAreas() {
        let a = assignment("A1", "S1", days: ["literacy": 2.5, "maths": 1], lead: 2)
        #expect(visits(for: a, halfDays: true).map { "\($0.length.rawValue) \($0.areas.joined(separator: "+"))" } == [
            "full-day lead", "full-day lead", "full-day literacy", "full-day literacy", "full-day literacy+maths", "half-day maths",
        ])
        #expect(visits(for: a, halfDays: false).map(\.length) == Array(repeating: .fullDay, count: 6))
    }

    @Test func visitsGoOnOpenDatesTheGapAllowsPreferringTheAdvisersDay() throws {
        let s = january()
        let scheduled = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 2])]), scenario: s)
        // Open: Jan 5, 7 and 19. Two visits 7+ days apart: {5, 19} or {7, 19}; Wednesday is A1's preferred day.
        #expect(scheduled.visits.map { "\($0.date) \($0.start)-\($0.end) \($0.areas)" } == [
            "2026-01-07 09:00-15:30 [\"literacy\"]", "2026-01-19 09:00-15:30 [\"literacy\"]",
        ])
        #expect(scheduled.unplaced.isEmpty)
        #expect(PlanChecker.checkVisits(scheduled, against: s) == [])
    }

    @Test func aSchoolHasOneAdviserAtATimeAndWhatCannotFitIsExplained() throws {
        var s = january()
        s.visits.minGapDays = 30
        let scheduled = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 2]), assignment("A2", "S1", days: ["literacy": 1])]), scenario: s)
        // A1 (first in order) can fit only one visit with a 30-day gap; A2 takes one of the two other open days.
        #expect(scheduled.visits.filter { $0.adviser == "A1" }.count == 1)
        #expect(scheduled.visits.filter { $0.adviser == "A2" }.count == 1)
        #expect(Set(scheduled.visits.map(\.date)).count == 2)
        #expect(scheduled.unplaced == [Plan.UnplacedVisit(adviser: "A1", school: "S1", count: 1,
                                                          reason: "only 1 of the 3 dates open to both are at least 30 days apart; 2 visits are needed")])
        #expect(PlanChecker.checkVisits(scheduled, against: s) == [])
    }

    @Test func halfDaysShareADayWithAnotherSchoolWhenTravelAllows() throws {
        var s = january()
        s.closures["S1"] = []
        s.schools.append(School(id: "S2", name: "School S2", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.401, longitude: -2.801)))
        s.terms = [Term(name: "One day", start: date("2026-01-07"), end: date("2026-01-07"), halfTerm: nil)]
        let scheduled = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 0.5]), assignment("A1", "S2", days: ["literacy": 0.5])]), scenario: s)
        #expect(scheduled.visits.map { "\($0.school) \($0.start)-\($0.end)" }.sorted() == ["S1 09:00-12:00", "S2 13:00-15:30"].sorted()
            || scheduled.visits.map { "\($0.school) \($0.start)-\($0.end)" }.sorted() == ["S1 13:00-15:30", "S2 09:00-12:00"])
        #expect(PlanChecker.checkVisits(scheduled, against: s) == [])
    }

    @Test func checkerNamesBrokenDateRules() throws {
        let s = january()
        var scheduled = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 2])]), scenario: s)
        scheduled.visits[0].date = date("2026-01-06")   // INSET day, and one day before... no: the 19th is 13 days later
        scheduled.visits[1].date = date("2026-01-10")   // a Saturday, and only 4 days after the first
        let rules = PlanChecker.checkVisits(scheduled, against: s).map(\.rule)
        #expect(rules.contains("date"))
        #expect(rules.contains("gap"))
        scheduled.visits.removeLast()
        #expect(PlanChecker.checkVisits(scheduled, against: s).map(\.rule).contains("visits"))
    }
}
