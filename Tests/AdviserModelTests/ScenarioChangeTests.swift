import Foundation
import Testing
@testable import AdviserModel

/// A small scenario built in code: two schools, two advisers, a roster, travel, availability, leave and closures.
private func smallBase() -> Scenario {
    let programme = Programme(name: "Small", start: CivilDate(iso: "2026-09-01")!, end: CivilDate(iso: "2027-07-21")!, budget: 50000)
    let schools = [
        School(id: "100001", name: "Alpha Primary", phase: .primary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.41, longitude: -2.84)),
        School(id: "100002", name: "Beta Academy", phase: .secondary, localAuthority: "Knowsley", location: GeoPoint(latitude: 53.42, longitude: -2.85)),
    ]
    let advisers = [
        Adviser(id: "A1", name: "Ann Able", role: "former HMI", home: GeoPoint(latitude: 53.45, longitude: -2.80), phases: [.primary, .secondary],
                expertise: [Expertise(area: "literacy", level: 3)], capacityDays: 20, maxSchools: 3, dayRate: 600),
        Adviser(id: "A2", name: "Bob Best", home: GeoPoint(latitude: 53.40, longitude: -2.90), phases: [.primary],
                expertise: [Expertise(area: "maths", level: 2)], capacityDays: 10.5, maxSchools: 2, dayRate: 500, homeSchool: "100002"),
    ]
    let needs = [
        Need(school: "100001", area: "literacy", days: 4, priority: 3),
        Need(school: "100002", area: "literacy", days: 2.5, priority: 2),
        Need(school: "100002", area: "leadership", days: 2, priority: 1),
    ]
    let range = DateRange(start: CivilDate(iso: "2026-10-05")!, end: CivilDate(iso: "2026-10-09")!)
    return Scenario(programme: programme, schools: schools, advisers: advisers, needs: needs,
                    roster: [RosterEntry(adviser: "A1", school: "100001", role: .lead), RosterEntry(adviser: "A2", school: "100002", role: .specialist)],
                    measuredTravelMinutes: [PairKey(adviser: "A1", school: "100002"): 25, PairKey(adviser: "A2", school: "100001"): 30],
                    fingerprint: "sha256:base", inputFiles: ["/x/advisers.csv"],
                    availability: ["A1": AdviserAvailability(adviser: "A1", weekdays: [1, 2, 3], maxDaysPerWeek: 2)],
                    leave: ["A1": [range], "A2": [range]], closures: ["100001": [range], "100002": [range]])
}

/// The diagnostics of `text` read as a change to the small scenario.
private func problems(_ text: String) -> [String] {
    var log = DiagnosticLog()
    _ = ScenarioChange.parse(text, file: "change.toml", base: smallBase(), log: &log)
    return log.sorted.map(\.description)
}

private func change(_ text: String) throws -> ScenarioChange {
    var log = DiagnosticLog()
    let change = ScenarioChange.parse(text, file: "change.toml", base: smallBase(), log: &log)
    if !log.isEmpty { throw ScenarioError.invalid(log.sorted) }
    return change
}

/// Every kind of edit, valid against the small scenario.
private let fullChange = """
description = "Bob Best leaves; Gamma Primary joins"
disruption_weight = 500
keep_all_feasible = true

[[remove_adviser]]
id = "A2"

[[add_adviser]]
id = "A3"
name = "Priya Shah"
role = "former HMI"
home_latitude = 53.45
home_longitude = -2.75
phases = ["secondary", "primary"]
expertise = { literacy = 3, leadership = 2 }
capacity_days = 30
max_schools = 4
day_rate = 650
employer_trust = ""
employer_la = "Wigan"
home_school = ""

[[remove_school]]
id = "100002"

[[add_school]]
id = "100003"
name = "Gamma Primary"
phase = "primary"
local_authority = "Knowsley"
trust = ""
pupils = 210
disadvantaged_pct = 45
inspection_grade = 3
latitude = 53.42
longitude = -2.85
needs = [ { area = "literacy", days = 6, priority = 3 }, { area = "maths", days = 2, priority = 2 } ]

[[capacity]]
adviser = "*"
scale = 0.8

[[capacity]]
adviser = "A1"
days = 15

[[need]]
school = "100001"
area = "literacy"
days = 5.5

[[need]]
school = "100001"
area = "maths"
days = 2
priority = 1

[[need]]
school = "100003"
area = "maths"
days = 0

[budget]
amount = 40000

[weights]
continuity = 300

[rules]
max_travel_minutes = 45
require_lead = false

[[forbid]]
adviser = "A1"
school = "100003"

[[require]]
adviser = "A3"
school = "100001"
role = "lead"

[programme]
start = 2026-09-07
"""

private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct ScenarioChangeTests {
    @Test func applyingEveryKindOfEdit() throws {
        let base = smallBase()
        let c = try change(fullChange)
        #expect(c.description == "Bob Best leaves; Gamma Primary joins")
        #expect(c.disruptionWeight == 500)
        #expect(c.keepAllFeasible == true)
        let s = c.apply(to: base)
        #expect(s.advisers.map(\.id) == ["A1", "A3"])
        #expect(s.advisers.map(\.capacityDays) == [15, 24])
        #expect(s.advisers[1].phases == [.primary, .secondary])
        #expect(s.advisers[1].expertise == [Expertise(area: "leadership", level: 2), Expertise(area: "literacy", level: 3)])
        #expect(s.advisers[1].employerTrust == nil && s.advisers[1].employerLocalAuthority == "Wigan" && s.advisers[1].homeSchool == nil)
        #expect(s.advisers[1].dayRate == 650 && s.advisers[1].maxSchools == 4 && s.advisers[1].role == "former HMI")
        #expect(s.schools.map(\.id) == ["100001", "100003"])
        #expect(s.schools[1] == School(id: "100003", name: "Gamma Primary", phase: .primary, localAuthority: "Knowsley", trust: nil, pupils: 210,
                                       disadvantagedPercent: 45, inspectionGrade: 3, location: GeoPoint(latitude: 53.42, longitude: -2.85)))
        #expect(s.needs == [
            Need(school: "100001", area: "literacy", days: 5.5, priority: 3),
            Need(school: "100003", area: "literacy", days: 6, priority: 3),
            Need(school: "100001", area: "maths", days: 2, priority: 1),
        ])
        #expect(s.roster == [RosterEntry(adviser: "A1", school: "100001", role: .lead)])
        #expect(s.measuredTravelMinutes.isEmpty)
        #expect(s.availability.keys.sorted() == ["A1"])
        #expect(s.leave.keys.sorted() == ["A1"])
        #expect(s.closures.keys.sorted() == ["100001"])
        #expect(s.programme.budget == 40000)
        #expect(s.programme.start == CivilDate(iso: "2026-09-07")! && s.programme.end == CivilDate(iso: "2027-07-21")!)
        #expect(s.weights.continuity == 300 && s.weights.expertise == Weights().expertise)
        #expect(s.rules.maxTravelMinutes == 45 && !s.rules.requireLead && s.rules.leadDays == Rules().leadDays)
        #expect(s.forbiddenPairs == [PairKey(adviser: "A1", school: "100003")])
        #expect(s.requiredPairs == [RosterEntry(adviser: "A3", school: "100001", role: .lead)])
        #expect(s.inputFiles == ["/x/advisers.csv", "change.toml"])
        // The base is untouched.
        #expect(base.advisers.map(\.id) == ["A1", "A2"] && base.needs.count == 3 && base.roster.count == 2 && base.programme.budget == 50000)
    }

    @Test func fingerprintIsTheBasePlusTheChangeFile() throws {
        let base = smallBase()
        let s = try change(fullChange).apply(to: base)
        #expect(s.fingerprint != base.fingerprint)
        #expect(s.fingerprint.hasPrefix("sha256:base+sha256:") && s.fingerprint.count == "sha256:base+sha256:".count + 64)
        #expect(try change(fullChange).apply(to: base).fingerprint == s.fingerprint)
        let other = try change(fullChange.replacingOccurrences(of: "amount = 40000", with: "amount = 40001")).apply(to: base)
        #expect(other.fingerprint != s.fingerprint)
    }

    @Test func summaryNamesEveryEditInFileOrder() throws {
        #expect(try change(fullChange).summary == [
            "remove adviser A2 (Bob Best)",
            "add adviser A3 (Priya Shah, former HMI): 30 days, primary and secondary",
            "remove school 100002 (Beta Academy) and its 2 needs (4.5 days)",
            "add school 100003 (Gamma Primary, primary) with 2 needs (8 days)",
            "scale every adviser's capacity by 0.8 (50 -> 40 days in all)",
            "set A1's capacity to 15 days (was 16)",
            "set the literacy need of 100001 (Alpha Primary) to 5.5 days, priority 3 (was 4 days, priority 3)",
            "add a maths need of 2 days, priority 1, at 100001 (Alpha Primary)",
            "remove the maths need of 100003 (Gamma Primary): 2 days, priority 2",
            "set the budget to £40,000 (was £50,000)",
            "set weights.continuity to 300 (was 200)",
            "set rules.max_travel_minutes to 45 (was 60)",
            "set rules.require_lead to false (was true)",
            "never pair A1 (Ann Able) with 100003 (Gamma Primary)",
            "keep A3 (Priya Shah) at 100001 (Alpha Primary) as lead",
            "move the programme start to 2026-09-07 (was 2026-09-01)",
        ])
        #expect(try change("[[capacity]]\nadviser = \"A2\"\nscale = 0.8\n[budget]\nnone = true\n[[require]]\nadviser = \"A2\"\nschool = \"100001\"").summary == [
            "scale A2's capacity by 0.8 (10.5 -> 8.4 days)",
            "remove the budget (was £50,000)",
            "keep A2 (Bob Best) at 100001 (Alpha Primary)",
        ])
        #expect(try change("description = \"nothing\"").summary == [])
    }

    @Test func removingASchoolTakesItsHomeSchoolLinkAndPairsWithIt() throws {
        var base = smallBase()
        base.forbiddenPairs = [PairKey(adviser: "A1", school: "100002")]
        base.requiredPairs = [RosterEntry(adviser: "A2", school: "100001", role: .specialist)]
        let s = try change("[[remove_school]]\nid = \"100002\"\n[[remove_adviser]]\nid = \"A2\"").apply(to: base)
        #expect(s.forbiddenPairs.isEmpty && s.requiredPairs.isEmpty)
        let kept = try change("[[remove_school]]\nid = \"100002\"").apply(to: smallBase())
        #expect(kept.advisers[1].homeSchool == nil)
        #expect(kept.measuredTravelMinutes == [PairKey(adviser: "A2", school: "100001"): 30])
    }

    @Test func unknownKeysAndSectionsSuggestTheRightOne() {
        #expect(problems("""
        descripton = "x"
        keep_all_feasible = "yes"
        disruption_weight = -1
        [[remove_advisr]]
        id = "A1"
        [budgett]
        amount = 5
        [rules]
        max_travel = 3
        [remove_school]
        id = "100001"
        weights = 3
        """) == [
            "change.toml:1:1: unknown setting `descripton`; did you mean `description`?",
            "change.toml:2:21: `keep_all_feasible` must be true or false; found a string",
            "change.toml:3:21: `disruption_weight` must be between 0 and 1000000; found -1",
            "change.toml:4:1: unknown section `remove_advisr`; did you mean `[[remove_adviser]]`?",
            "change.toml:6:1: unknown section `budgett`; did you mean `[budget]`?",
            "change.toml:9:1: unknown setting `rules.max_travel`; [rules] takes max_travel_minutes, lead_days, independence, require_lead",
            "change.toml:10:1: `remove_school` must be written [[remove_school]], one section per edit",
            "change.toml:12:1: unknown setting `remove_school.weights`; [[remove_school]] takes id",
        ])
        #expect(problems("budget = 5\nsurprise = 1") == [
            "change.toml:1:1: `budget` must be a section ([budget]), not a value",
            "change.toml:2:1: unknown setting `surprise`; a change file takes description, disruption_weight, keep_all_feasible, [[remove_adviser]], [[add_adviser]], [[remove_school]], [[add_school]], [[capacity]], [[need]], [[forbid]], [[require]], [budget], [weights], [rules], [programme]",
        ])
    }

    @Test func unknownAndRepeatedIdsAreReported() {
        #expect(problems("""
        [[remove_adviser]]
        id = "A01"
        [[remove_adviser]]
        id = "A2"
        [[remove_adviser]]
        id = "A2"
        [[remove_adviser]]
        id = "Z99"
        [[remove_school]]
        id = "100003"
        [[remove_school]]
        id = "100002"
        [[remove_school]]
        id = "100002"
        [[remove_school]]
        name = "x"
        """) == [
            "change.toml:2:6: unknown adviser `A01`; did you mean `A1`?",
            "change.toml:6:6: adviser A2 is already removed on line 3",
            "change.toml:8:6: unknown adviser `Z99`; it is not in the scenario nor added by [[add_adviser]]",
            "change.toml:10:6: unknown school `100003`; did you mean `100001`?",
            "change.toml:14:6: school 100002 is already removed on line 11",
            "change.toml:15:1: missing `id` in [[remove_school]]; add e.g. `id = \"104431\"`",
            "change.toml:16:1: unknown setting `remove_school.name`; [[remove_school]] takes id",
        ])
        // Added ids may be referred to; adding one twice, or one already there, is an error.
        #expect(problems("""
        [[require]]
        adviser = "A3"
        school = "100009"
        [[add_adviser]]
        id = "A3"
        name = "Cat Cole"
        home_latitude = 53.4
        home_longitude = -2.8
        phases = ["primary"]
        expertise = { maths = 2 }
        capacity_days = 10
        max_schools = 2
        day_rate = 500
        [[add_adviser]]
        id = "A3"
        name = "Cat Cole"
        home_latitude = 53.4
        home_longitude = -2.8
        phases = ["primary"]
        expertise = { maths = 2 }
        capacity_days = 10
        max_schools = 2
        day_rate = 500
        [[add_school]]
        id = "100002"
        name = "Again"
        phase = "primary"
        local_authority = "Knowsley"
        latitude = 53.4
        longitude = -2.8
        """) == [
            "change.toml:3:10: unknown school `100009`; did you mean `100001`?",
            "change.toml:15:6: adviser A3 is added twice (first on line 4)",
            "change.toml:25:6: school 100002 is already in the scenario; give the new school another id",
        ])
    }

    @Test func addedAdvisersAndSchoolsAreCheckedLikeTheirCSVRows() {
        #expect(problems("""
        [[add_adviser]]
        id = "A1"
        name = "Dup"
        home_latitude = 53.4
        home_longitude = -2.8
        phases = ["primary"]
        expertise = { literacy = 3 }
        capacity_days = 30
        max_schools = 4
        day_rate = 600
        [[add_adviser]]
        id = "A3"
        name = "Cat Cole"
        home_latitude = 95
        home_longitude = -2.8
        phases = ["primry", 3]
        expertise = { litracy = 3, maths = 5 }
        capacity_days = 0
        max_schools = 2.5
        day_rate = "600"
        home_school = "100009"
        [[add_adviser]]
        id = "A4"
        name = "Dee Dunn"
        [[add_school]]
        id = "100005"
        name = "New"
        phase = "secundary"
        local_authority = "Knowsley"
        pupils = 6000
        latitude = 53.4
        longitude = -2.8
        needs = [ { area = "numeracy", days = 2.25, priority = 4 }, { area = "maths", days = 0, priority = 1, note = "x" }, "literacy" ]
        [[add_school]]
        id = "100006"
        needs = { area = "maths" }
        """) == [
            "change.toml:2:6: adviser A1 is already in the scenario; give the new adviser another id",
            "change.toml:14:17: `add_adviser.home_latitude` must be between 49.8 and 60.9; found 95",
            "change.toml:16:11: unknown phase `primry`; expected one of primary, secondary, all-through, special, alternative-provision, nursery (did you mean `primary`?)",
            "change.toml:16:21: `add_adviser.phases` must list phases in quotes, e.g. [\"primary\", \"secondary\"]",
            "change.toml:17:15: unknown area `litracy`; did you mean `literacy`?",
            "change.toml:17:36: the level of `maths` must be 1, 2 or 3 (working knowledge, strong, expert)",
            "change.toml:18:17: `add_adviser.capacity_days` must be more than 0",
            "change.toml:19:15: `add_adviser.max_schools` must be a whole number; found 2.5",
            "change.toml:20:12: `add_adviser.day_rate` must be a number; found a string",
            "change.toml:21:15: unknown school `100009`; did you mean `100001`?",
            "change.toml:22:1: missing `capacity_days` in [[add_adviser]]; add e.g. `capacity_days = 30`",
            "change.toml:22:1: missing `day_rate` in [[add_adviser]]; add e.g. `day_rate = 600`",
            "change.toml:22:1: missing `expertise` in [[add_adviser]]; add e.g. `expertise = { literacy = 3 }`",
            "change.toml:22:1: missing `home_latitude` in [[add_adviser]]; add e.g. `home_latitude = 53.45`",
            "change.toml:22:1: missing `home_longitude` in [[add_adviser]]; add e.g. `home_longitude = -2.75`",
            "change.toml:22:1: missing `max_schools` in [[add_adviser]]; add e.g. `max_schools = 4`",
            "change.toml:22:1: missing `phases` in [[add_adviser]]; add e.g. `phases = [\"primary\"]`",
            "change.toml:28:9: unknown phase `secundary`; expected one of primary, secondary, all-through, special, alternative-provision, nursery (did you mean `secondary`?)",
            "change.toml:30:10: `add_school.pupils` must be between 0 and 5000; found 6000",
            "change.toml:33:20: unknown area `numeracy`; did you mean `maths`?",
            "change.toml:33:39: `add_school.needs.days` must be whole or half days, found 2.25",
            "change.toml:33:56: `add_school.needs.priority` must be between 1 and 3; found 4",
            "change.toml:33:86: `add_school.needs.days` must be more than 0; leave the need out if the school has none",
            "change.toml:33:103: unknown setting `add_school.needs.note`; `add_school.needs` takes area, days, priority",
            "change.toml:33:117: each of `add_school.needs` must be written { area = \"literacy\", days = 6, priority = 3 }",
            "change.toml:34:1: missing `latitude` in [[add_school]]; add e.g. `latitude = 53.42`",
            "change.toml:34:1: missing `local_authority` in [[add_school]]; add e.g. `local_authority = \"Knowsley\"`",
            "change.toml:34:1: missing `longitude` in [[add_school]]; add e.g. `longitude = -2.85`",
            "change.toml:34:1: missing `name` in [[add_school]]; add e.g. `name = \"New Academy\"`",
            "change.toml:34:1: missing `phase` in [[add_school]]; add e.g. `phase = \"primary\"`",
            "change.toml:36:9: `add_school.needs` must be a list, e.g. [ { area = \"literacy\", days = 6, priority = 3 } ]",
        ])
    }

    @Test func capacityAndNeedEditsAreChecked() {
        #expect(problems("""
        [[remove_adviser]]
        id = "A2"
        [[remove_school]]
        id = "100001"
        [[capacity]]
        adviser = "A2"
        scale = 0.5
        [[capacity]]
        adviser = "A1"
        scale = 0
        [[capacity]]
        adviser = "A1"
        scale = 0.5
        days = 3
        [[capacity]]
        adviser = "*"
        days = -2
        [[capacity]]
        adviser = "*"
        [[capacity]]
        adviser = "A9"
        scale = 11
        [[need]]
        school = "100001"
        area = "literacy"
        days = 3
        [[need]]
        school = "100002"
        area = "maths"
        days = 3
        [[need]]
        school = "100002"
        area = "maths"
        days = 0
        priority = 2
        [[need]]
        school = "100002"
        area = "litracy"
        days = -1
        priority = 0
        [[need]]
        school = "100002"
        area = "literacy"
        days = 2.2
        """) == [
            "change.toml:6:11: adviser A2 is removed on line 1; drop this [[capacity]] edit or keep the adviser",
            "change.toml:10:9: `capacity.scale` must be more than 0 and at most 10; found 0",
            "change.toml:11:1: a [[capacity]] edit takes either `scale` or `days`, not both",
            "change.toml:17:8: `capacity.days` must be more than 0; found -2 (remove the adviser with [[remove_adviser]] instead)",
            "change.toml:18:1: a [[capacity]] edit needs `scale` (e.g. scale = 0.8) or `days` (e.g. days = 20)",
            "change.toml:21:11: unknown adviser `A9`; did you mean `A1`?",
            "change.toml:22:9: `capacity.scale` must be more than 0 and at most 10; found 11",
            "change.toml:24:10: school 100001 is removed on line 3; drop this [[need]] edit or keep the school",
            "change.toml:27:1: school 100002 has no maths need yet; give its `priority` (1 to 3) to add one",
            "change.toml:34:8: school 100002 (Beta Academy) has no maths need to remove",
            "change.toml:38:8: unknown area `litracy`; did you mean `literacy`?",
            "change.toml:39:8: `need.days` must be between 0 and 500; found -1",
            "change.toml:40:12: `need.priority` must be between 1 and 3; found 0",
            "change.toml:44:8: `need.days` must be whole or half days, found 2.2",
        ])
        #expect(problems("""
        [[capacity]]
        adviser = "A1"
        scale = 0.5
        [[capacity]]
        adviser = "A1"
        days = 4
        [[need]]
        school = "100001"
        area = "literacy"
        days = 3
        [[need]]
        school = "100001"
        area = "literacy"
        days = 0
        """) == [
            "change.toml:5:11: adviser A1's capacity is already changed on line 1; combine the two edits",
            "change.toml:11:1: the literacy need of school 100001 is already set on line 7; combine the two edits",
        ])
    }

    @Test func pairingsBudgetRulesAndDatesAreChecked() {
        #expect(problems("""
        [[forbid]]
        adviser = "A1"
        school = "100002"
        [[require]]
        adviser = "A1"
        school = "100002"
        [[require]]
        adviser = "A2"
        school = "100001"
        role = "boss"
        [[require]]
        adviser = "A1"
        school = "100001"
        role = "lead"
        [[require]]
        adviser = "A2"
        school = "100001"
        role = "lead"
        [[forbid]]
        adviser = "A1"
        school = "100002"
        [budget]
        amount = 0
        none = true
        [programme]
        end = 2026-08-01
        [weights]
        continuity = -3
        travel = "x"
        [rules]
        independence = "county"
        require_lead = 1
        """) == [
            "change.toml:4:1: adviser A1 and school 100002 are both forbidden (line 1) and required (line 4); keep one",
            "change.toml:10:8: `require.role` must be lead or specialist, found \"boss\"; leave it out to keep the pairing in any role",
            "change.toml:18:8: school 100001 already has a required lead on line 11; a school has one lead",
            "change.toml:19:1: adviser A1 and school 100002 are already forbidden on line 1",
            "change.toml:22:1: [budget] takes either `amount` or `none = true`, not both",
            "change.toml:23:10: `budget.amount` must be more than 0; found 0 (write `none = true` for no budget)",
            "change.toml:26:7: the programme must end after it starts (2026-09-01); found end = 2026-08-01",
            "change.toml:28:14: `weights.continuity` must be between 0 and 1000000; found -3",
            "change.toml:29:10: `weights.travel` must be a number; found a string",
            "change.toml:31:16: `rules.independence` must be one of none, trust, local-authority; found \"county\"",
            "change.toml:32:16: `rules.require_lead` must be true or false; found a whole number",
        ])
        #expect(problems("""
        [[remove_adviser]]
        id = "A1"
        [[forbid]]
        adviser = "A1"
        school = "100002"
        [budget]
        none = false
        [programme]
        [[need]]
        school = "100001"
        area = "maths"
        days = 0
        """) == [
            "change.toml:4:11: adviser A1 is removed on line 1; drop this [[forbid]] edit or keep the adviser",
            "change.toml:7:8: `budget.none` can only be true (no budget); to set a budget give `amount`",
            "change.toml:8:1: [programme] changes nothing; give `start`, `end` or both",
            "change.toml:12:8: school 100001 (Alpha Primary) has no maths need to remove",
        ])
        #expect(problems("[programme]\nstart = 2027-08-01\n[budget]") == [
            "change.toml:2:9: the programme must end after it starts (2027-08-01); found end = 2027-07-21",
            "change.toml:3:1: [budget] needs `amount` (e.g. amount = 200000) or `none = true`",
        ])
    }

    @Test func aRequiredPairingTheSolverCannotUseStillParses() throws {
        // Bob Best works in primaries only; Beta Academy is a secondary. The solver reports it, not the reader.
        let s = try change("[[require]]\nadviser = \"A2\"\nschool = \"100002\"\nrole = \"lead\"").apply(to: smallBase())
        #expect(s.requiredPairs == [RosterEntry(adviser: "A2", school: "100002", role: .lead)])
    }

    @Test func loadReportsAMissingFileAndTOMLErrors() throws {
        #expect(throws: ScenarioError.invalid([Diagnostic(file: "/nonexistent/change.toml", line: 1, column: 1,
                                                          message: "cannot read: the file does not exist")])) {
            try ScenarioChange.load(path: "/nonexistent/change.toml", base: smallBase())
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("change-\(UUID().uuidString).toml").path
        try "disruption_weight = \"high\"\n[budget]\namount = 20 000\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ScenarioChange.load(path: path, base: smallBase())
            Issue.record("expected an error")
        } catch let error as ScenarioError {
            #expect(error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" } == [
                "1:21: `disruption_weight` must be a number; found a string",
                "3:13: unexpected `0` after the value; put one `key = value` per line (start comments with #)",
            ])
        }
    }

    @Test func anUnreadableValueIsOneProblemNotAlsoAMissingKey() {
        #expect(problems("[[remove_adviser]]\nid = A2\n[programme]\nend = 2027-02-29\n") == [
            "change.toml:2:6: `A2` is not a value; text must be in double quotes, e.g. \"A2\"",
            "change.toml:4:7: `2027-02-29` is not a real date (YYYY-MM-DD)",
        ])
        // A file cut short mid-key: the broken line, not every setting it might have been.
        #expect(problems("[[require]]\nadviser = \"A1\"\nsch") == ["change.toml:3:4: expected `=` after the key `sch`"])
        // Text after the value: the value read ("") is not what was meant, so it is not also "empty".
        #expect(problems("[[remove_adviser]]\nid = \"\"A2\"\n") == [
            "change.toml:2:8: unexpected `A` after the value; put one `key = value` per line (start comments with #)",
        ])
    }

    @Test func bundledExamplesLoadAgainstKnowsleyPathways() throws {
        let base = try ScenarioLoader.load(directory: repositoryRoot.appendingPathComponent("scenarios/knowsley-pathways").path)
        func load(_ name: String) throws -> ScenarioChange {
            try ScenarioChange.load(path: repositoryRoot.appendingPathComponent("scenarios/knowsley-pathways/whatif/\(name).toml").path, base: base)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("scenarios/knowsley-pathways/whatif").path)
        #expect(names.sorted() == ["adviser-leaves.toml", "budget-cut.toml", "capacity-cut.toml", "five-schools-join.toml", "keep-a-pairing.toml"])

        let leaves = try load("adviser-leaves")
        #expect(leaves.summary == ["remove adviser A07 (Joanne Milburn)"])
        let withoutA07 = leaves.apply(to: base)
        #expect(withoutA07.advisers.count == 11 && withoutA07.adviser("A07") == nil)
        #expect(withoutA07.roster.count == base.roster.count - 1 && !withoutA07.roster.contains { $0.adviser == "A07" })
        #expect(withoutA07.availability["A07"] == nil && base.availability["A07"] != nil)
        #expect(withoutA07.fingerprint.hasPrefix(base.fingerprint + "+sha256:"))

        let cut = try load("capacity-cut")
        #expect(cut.summary == ["scale every adviser's capacity by 0.8 (404 -> 323.2 days in all)"])
        #expect(cut.apply(to: base).advisers.map(\.capacityDays) == [22.4, 28.8, 30.4, 27.2, 22.4, 30.4, 28.8, 25.6, 28.8, 20.8, 30.4, 27.2])

        let join = try load("five-schools-join").apply(to: base)
        #expect(join.schools.count == 34 && join.schools.suffix(5).map(\.id) == ["104427", "104444", "104463", "104453", "104469"])
        #expect(join.schools.suffix(5).allSatisfy { $0.phase == .primary && $0.localAuthority == "Knowsley" })
        #expect(join.needs.count == base.needs.count + 9)

        #expect(try load("budget-cut").apply(to: base).programme.budget == 200000)

        let keep = try load("keep-a-pairing")
        #expect(keep.summary == [
            "keep A05 (Claire Whitfield) at 139614 (Halewood Academy) as lead",
            "keep A03 (Siobhan Kelly) at 104431 (Westvale Primary School)",
            "never pair A03 (Siobhan Kelly) with 140001 (Kirkby High School)",
        ])
        let kept = keep.apply(to: base)
        #expect(kept.requiredPairs == [RosterEntry(adviser: "A05", school: "139614", role: .lead),
                                       RosterEntry(adviser: "A03", school: "104431", role: .specialist)])
        #expect(kept.forbiddenPairs == [PairKey(adviser: "A03", school: "140001")])
    }
}

/// A change's reach: the advisers and schools its edits name, or nil once an edit reaches the whole programme.
@Test func aLocalChangeNamesItsAdvisersAndSchoolsAndAGlobalOneHasNoReach() throws {
    let local = try change("""
        [[remove_adviser]]
        id = "A2"
        [[capacity]]
        adviser = "A1"
        scale = 0.5
        [[need]]
        school = "100002"
        area = "leadership"
        days = 3
        """)
    #expect(local.reach == ScenarioChange.Reach(advisers: ["A1", "A2"], schools: ["100002"]))
    for global in ["[budget]\namount = 40000", "[weights]\ntravel = 0.1", "[rules]\nlead_days = 2", "[programme]\nend = 2027-06-30",
                   "[[capacity]]\nadviser = \"*\"\nscale = 0.9"] {
        #expect(try change(global).reach == nil, "\(global)")
    }
}
