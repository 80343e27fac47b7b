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

    /// Two visits of one adviser at once, two advisers at one school at once, and half days too far apart to
    /// travel between over lunch, all on one day among visits that keep the rules: each clash is named
    /// once (a repeated visit of one adviser at one school too), in the order of the plan's visits.
    @Test func checkerNamesEveryClashOfADayOnceInPlanOrder() {
        var s = january()
        s.closures["S1"] = []
        s.schools.append(School(id: "S2", name: "School S2", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.401, longitude: -2.801)))
        s.schools.append(School(id: "S3", name: "School S3", phase: .primary, localAuthority: "Camden", location: GeoPoint(latitude: 51.5074, longitude: -0.1278)))
        var clashing = plan(s, [assignment("A1", "S1", days: ["literacy": 2]), assignment("A1", "S2", days: ["literacy": 1]),
                                assignment("A1", "S3", days: ["literacy": 1]), assignment("A2", "S1", days: ["literacy": 1]),
                                assignment("A2", "S2", days: ["literacy": 1]), assignment("A2", "S3", days: ["literacy": 1])])
        func visit(_ adviser: String, _ school: String, _ day: String, _ start: String, _ end: String) -> Plan.Visit {
            Plan.Visit(adviser: adviser, school: school, date: date(day), start: start, end: end, areas: ["literacy"])
        }
        clashing.visits = [
            visit("A1", "S1", "2026-01-07", "09:00", "15:30"),
            visit("A2", "S3", "2026-01-07", "09:00", "12:00"),
            visit("A2", "S2", "2026-01-19", "09:00", "15:30"),  // another day: no clash
            visit("A1", "S2", "2026-01-07", "09:00", "12:00"),
            visit("A2", "S1", "2026-01-07", "13:00", "15:30"),
            visit("A1", "S3", "2026-01-07", "13:00", "15:30"),
            visit("A1", "S1", "2026-01-07", "09:00", "12:00"),
        ]
        let clashes = PlanChecker.checkVisits(clashing, against: s).filter { $0.rule == "one-place" || $0.rule == "school-slot" }
        #expect(clashes.map { "\($0.rule): \($0.message)" } == [
            "one-place: A1 has two visits at once on 2026-01-07 (S1, S2)",
            "school-slot: S1 has two advisers at once on 2026-01-07 (A1, A2)",
            "one-place: A1 has two visits at once on 2026-01-07 (S1, S3)",
            "one-place: A1 has two visits at once on 2026-01-07 (S1, S1)",
            "one-place: A2 cannot travel from S3 to S1 over lunch on 2026-01-07",
            "one-place: A1 cannot travel from S2 to S3 over lunch on 2026-01-07",
            "one-place: A1 has two visits at once on 2026-01-07 (S2, S1)",
            "one-place: A1 cannot travel from S3 to S1 over lunch on 2026-01-07",
        ])
    }

    /// An academic year with half-terms, `advisers` advisers with `schoolsEach` schools each, 14 days between
    /// visits to a school and at most 3 visit days a week: every third adviser works Monday to Thursday and
    /// prefers Tuesday, every fifth is on leave for two weeks, every fourth school has a SATs week, and
    /// schools lie up to 65 km apart, so some cannot share a day over lunch.
    func academicYear(advisers: Int, schoolsEach: Int) -> (Scenario, [Plan.Assignment]) {
        var b = ScenarioBuilder()
        for a in 0..<advisers { b.adviser("A\(a)", ["literacy": 3]) }
        var assignments: [Plan.Assignment] = []
        for a in 0..<advisers {
            for k in 0..<schoolsEach {
                let school = "S\(a * schoolsEach + k)"
                b.school(school)
                // 2 to 10 days, some with a trailing half day; the first school of each adviser is led.
                let days = 2 + 0.5 * Double((a * 7 + k * 5) % 17)
                assignments.append(assignment("A\(a)", school, days: ["literacy": days], lead: k == 0 ? 2 : 0))
            }
        }
        var s = b.scenario
        for i in s.schools.indices {
            s.schools[i].location = GeoPoint(latitude: 53.1 + 0.6 * Double((i * 37) % 100) / 100, longitude: -2.8 + 0.1 * Double(i % 3))
        }
        func term(_ name: String, _ start: String, _ end: String, _ half: String, _ halfEnd: String) -> Term {
            Term(name: name, start: date(start), end: date(end), halfTerm: DateRange(start: date(half), end: date(halfEnd)))
        }
        s.terms = [
            term("Autumn 2026", "2026-09-01", "2026-12-18", "2026-10-26", "2026-10-30"),
            term("Spring 2027", "2027-01-04", "2027-03-25", "2027-02-15", "2027-02-19"),
            term("Summer 2027", "2027-04-12", "2027-07-21", "2027-05-31", "2027-06-04"),
        ]
        s.visits.minGapDays = 14
        s.visits.maxDaysPerWeek = 3
        for a in stride(from: 0, to: advisers, by: 3) {
            s.availability["A\(a)"] = AdviserAvailability(adviser: "A\(a)", weekdays: [1, 2, 3, 4], preferredWeekdays: [2], maxDaysPerWeek: 3)
        }
        for a in stride(from: 0, to: advisers, by: 5) {
            s.leave["A\(a)"] = [DateRange(start: date("2026-11-09"), end: date("2026-11-20"), reason: "surgery")]
        }
        for i in stride(from: 0, to: s.schools.count, by: 4) {
            s.closures["S\(i)"] = [DateRange(start: date("2027-05-10"), end: date("2027-05-13"), reason: "KS2 SATs week")]
        }
        return (s, assignments)
    }

    @Test func manyAdvisersGetEveryVisitDatedByTheRules() throws {
        let (s, assignments) = academicYear(advisers: 30, schoolsEach: 6)
        let input = plan(s, assignments)
        let scheduled = try VisitScheduler.schedule(input, scenario: s)
        let needed = assignments.reduce(0) { $0 + visits(for: $1, halfDays: true).count }
        #expect(needed > 1000)
        #expect(scheduled.unplaced.isEmpty)
        #expect(scheduled.visits.count == needed)
        #expect(PlanChecker.checkVisits(scheduled, against: s) == [])
        // Same input, same dates.
        #expect(try VisitScheduler.schedule(input, scenario: s).visits == scheduled.visits)
    }

    /// Adviser A0 of the academic year (four schools, a preferred weekday) as one dating problem.
    func oneAdviserProblem() -> VisitProblem {
        let (s, assignments) = academicYear(advisers: 1, schoolsEach: 4)
        return VisitProblem(adviser: "A0", assignments: assignments, scenario: s, calendar: ProgrammeCalendar(scenario: s),
                            schools: Dictionary(uniqueKeysWithValues: s.schools.map { ($0.id, $0) }), taken: [:], busy: [])
    }

    @Test func theConstructivePassAndTheProgramBothReachTheUpperBound() throws {
        let problem = oneAdviserProblem()
        let bound = problem.upperBound
        #expect(problem.score(VisitConstruction.dates(for: problem, bound: bound)) == bound)
        // From nothing dated, the program over the whole year finds a schedule as good.
        let empty = [[VisitProblem.Placement]](repeating: [], count: problem.pairings.count)
        let program = try #require(try VisitProgram.dates(for: problem, start: empty, window: 0..<problem.days.count, nodeLimit: 2000))
        #expect(problem.score(program) == bound)
    }

    @Test func theProgramImprovesAWindowAndKeepsTheRestOfTheYear() throws {
        let problem = oneAdviserProblem()
        // Every visit on the earliest day the rules allow: no spread, no preferred weekday.
        var diary = VisitDiary(problem)
        for (p, pairing) in problem.pairings.enumerated() {
            var left = pairing.count
            for o in pairing.options where left > 0 {
                if let part = left > pairing.half ? (diary.allows(p, o, .full) ? .full : nil) : diary.half(p, o) {
                    diary.place(p, VisitProblem.Placement(day: o.day, part: part))
                    left -= 1
                }
            }
        }
        let start = diary.placed
        let autumn = 0..<problem.days.firstIndex { $0.block == 2 }!
        let better = try #require(try VisitProgram.dates(for: problem, start: start, window: autumn, nodeLimit: 2000))
        #expect(problem.score(better) > problem.score(start))
        for p in start.indices {
            #expect(better[p].filter { !autumn.contains($0.day) } == start[p].filter { !autumn.contains($0.day) })
            #expect(better[p].count == start[p].count)
        }
    }

    @Test func aPairingWithAsManyVisitsAsTheGapAllowsGetsThemAll() throws {
        var s = january()
        s.closures["S1"] = []
        s.programme.end = date("2026-03-27")
        s.terms = [Term(name: "Spring 2026", start: date("2026-01-05"), end: date("2026-03-27"), halfTerm: nil)]
        s.visits.minGapDays = 14
        // Twelve weeks hold six visits 14 days apart only every other week, which still leaves them all on
        // A1's preferred Wednesday (from 7 or from 14 January).
        let six = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 6])]), scenario: s)
        #expect(six.visits.count == 6 && six.visits.allSatisfy { $0.date.weekday == 3 })
        #expect(six.unplaced.isEmpty)
        let seven = try VisitScheduler.schedule(plan(s, [assignment("A1", "S1", days: ["literacy": 7])]), scenario: s)
        #expect(seven.visits.count == 6)
        #expect(seven.unplaced.map(\.reason) == ["only 6 of the 60 dates open to both are at least 14 days apart; 7 visits are needed"])
        #expect(PlanChecker.checkVisits(six, against: s) == [] && PlanChecker.checkVisits(seven, against: s) == [])
    }
}
