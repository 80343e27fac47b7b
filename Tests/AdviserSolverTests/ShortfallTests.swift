import AdviserModel
import Testing
@testable import AdviserSolver

/// Plans that counting shows impossible are refused before any search, with what to change.
@Suite struct ShortfallTests {
    /// S1 and S2 (literacy, 2 days each); A1 may lead either, A2 only S1.
    func twoSchools(maxSchools: Int = 5, capacity: Double = 20) -> ScenarioBuilder {
        var b = ScenarioBuilder()
        for s in ["S1", "S2"] {
            b.school(s)
            b.need(s, "literacy", days: 2, priority: 2)
        }
        b.adviser("A1", ["literacy": 3], capacity: capacity, maxSchools: maxSchools)
        b.adviser("A2", ["literacy": 3])
        b.minutes("A2", "S2", 90)
        return b
    }

    func solve(_ scenario: Scenario, base: Plan? = nil, keepAll: Bool = false) throws -> AllocationResult {
        var options = AllocationOptions()
        options.basePlan = base
        options.disruptionWeight = base == nil ? 0 : 500
        options.keepAllFeasible = keepAll
        return try AllocationSolver.solve(scenario, options: options)
    }

    @Test func anAdviserRequiredAtMoreSchoolsThanTheirLimitIsNamed() throws {
        var s = twoSchools(maxSchools: 1).scenario
        s.requiredPairs = [RosterEntry(adviser: "A1", school: "S1", role: .specialist), RosterEntry(adviser: "A1", school: "S2", role: .lead)]
        #expect(throws: AllocationError.noFeasiblePlan([
            "A1 (Adviser A1) is required at 2 schools, but max_schools is 1; raise it, or drop some of these pairings",
        ])) { try solve(s) }
    }

    @Test func requiredLeadsBeyondAnAdvisersCapacityAreNamed() throws {
        var b = twoSchools(capacity: 1.5)
        b.rules.leadDays = 1
        var s = b.scenario
        s.requiredPairs = [RosterEntry(adviser: "A1", school: "S1", role: .lead), RosterEntry(adviser: "A1", school: "S2", role: .lead)]
        #expect(throws: AllocationError.noFeasiblePlan([
            "A1 (Adviser A1) must lead 2 schools, 2.09 days with travel where it counts, but capacity_days is 1.5; raise it, or drop some of these leads",
        ])) { try solve(s) }
    }

    /// A1 may take one school. S2 has only A1; S1 has A2 as well, so leads fit until A1 is required to lead S1.
    @Test func aRequiredLeadCountsAsTheSchoolsOnlyPossibleLead() throws {
        var s = twoSchools(maxSchools: 1).scenario
        #expect(rosterLines(try solve(s).plan) == ["A1>S2 lead literacy:2", "A2>S1 lead literacy:2"])
        s.requiredPairs = [RosterEntry(adviser: "A1", school: "S1", role: .lead)]
        #expect(throws: AllocationError.noFeasiblePlan([
            "2 schools can be led only by 1 adviser, who has room to lead 1 of them (max_schools, and capacity at 1 lead days each): "
                + "schools S1 (School S1), S2 (School S2); advisers A1 (max_schools 1, capacity_days 20). Raise that adviser's max_schools "
                + "or capacity_days, or add an adviser who may lead one of these schools (phase, independence, expertise and travel decide who may)",
        ])) { try solve(s) }
    }

    @Test func leadsKeptFromTheBasePlanBeyondACutCapacityPointToKeepAllFeasible() throws {
        var b = twoSchools()
        b.rules.leadDays = 1
        let base = try solve(b.scenario).plan
        #expect(rosterLines(base) == ["A1>S2 lead literacy:2", "A2>S1 lead literacy:2"])
        var cut = b.scenario
        cut.advisers[1].capacityDays = 0.5
        #expect(throws: AllocationError.noFeasiblePlan([
            "A2 (Adviser A2) must lead 1 school (1 kept from the base plan by --keep-all-feasible), 1.04 days with travel where it counts, "
                + "but capacity_days is 0.5; raise it, or drop some of these leads, or run without --keep-all-feasible",
        ])) { try solve(cut, base: base, keepAll: true) }
    }

    @Test func aSchoolWithARequiredLeadAndAnotherKeptLeadIsNamed() throws {
        let b = twoSchools()
        let base = try solve(b.scenario).plan
        var changed = b.scenario
        changed.requiredPairs = [RosterEntry(adviser: "A1", school: "S1", role: .lead)]
        #expect(throws: AllocationError.noFeasiblePlan([
            "school S1 (School S1) must be led by each of A1 (Adviser A1) and A2 (Adviser A2), but has one lead; "
                + "drop one of these requirements, or run without --keep-all-feasible",
        ])) { try solve(changed, base: base, keepAll: true) }
    }

    @Test func aBudgetBelowTheCheapestLeadsIsNamed() throws {
        var b = twoSchools()
        b.budget = 900
        #expect(throws: AllocationError.noFeasiblePlan(["a lead for every school costs at least £1000 but the budget is £900"])) {
            try solve(b.scenario)
        }
    }

    /// A lead each at the cheapest costs £200 of £500, but A1 may take one school and A2 costs £1,000 a day: the
    /// cheapest leads together cost £1,100 (one lead day each), and that is named before any search.
    @Test func leadsThatPassEachSchoolsCheapestButCannotFitTogetherAreNamed() throws {
        var b = ScenarioBuilder()
        for s in ["S1", "S2"] {
            b.school(s)
            b.need(s, "literacy", days: 1, priority: 2)
        }
        b.adviser("A1", ["literacy": 3], maxSchools: 1, rate: 100)
        b.adviser("A2", ["literacy": 3], rate: 1_000)
        b.budget = 500
        #expect(throws: AllocationError.noFeasiblePlan([
            "a lead for every school costs at least £1100 but the budget is £500 (each school's cheapest lead would cost £200, "
                + "but the cheapest advisers' max_schools and capacity do not stretch to all of them)",
        ])) { try solve(b.scenario) }
    }

    /// Each count passes, the cheapest leads together included: with travel in capacity A1's lightest lead takes
    /// 1.04 days of its 2.2, room for two, so A1 could lead both schools for £200 of £500. But S2 is 50 minutes
    /// away (1.22 days), so A1 leads one and A2 (£1,000 a day) the other: the search finds no plan, and the
    /// message says what to raise.
    @Test func leadsThatPassEveryCountButCannotFitTogetherAreFoundByTheSearch() throws {
        var b = ScenarioBuilder()
        b.rules.travelUsesCapacity = true
        for s in ["S1", "S2"] {
            b.school(s)
            b.need(s, "literacy", days: 1, priority: 2)
        }
        b.adviser("A1", ["literacy": 3], capacity: 2.2, maxSchools: 2, rate: 100)
        b.adviser("A2", ["literacy": 3], rate: 1_000)
        b.minutes("A1", "S2", 50)
        b.budget = 500
        #expect(throws: AllocationError.noFeasiblePlan([
            "every school has an eligible lead adviser, but the leads cannot all be fitted together within advisers' capacity, "
                + "max_schools and the budget; try raising capacity or max_schools, raising the budget, lowering lead_days, or relaxing the travel limit",
        ])) { try solve(b.scenario) }
        // The search's log is still handed over (`solve --solver-log` writes it). The heuristic found no plan
        // either, so a budget that may bind kept the model whole.
        let logs = Recorder<String>()
        var options = AllocationOptions()
        options.logWithoutPlan = { logs.record($0) }
        #expect(throws: AllocationError.self) { try AllocationSolver.solve(b.scenario, options: options) }
        #expect(logs.count == 1)
        #expect(logs.all.first?.hasPrefix("Solved as one model: row budget may be broken and there is no starting solution") == true, "\(logs.all)")
        // A solve that finds a plan hands nothing over: its log is in the result.
        b.budget = 2_000
        _ = try AllocationSolver.solve(b.scenario, options: options)
        #expect(logs.count == 1)
    }

    /// Past 20 schools that nobody may lead, the rest are counted on one line, so the message fits a terminal.
    @Test func manySchoolsNobodyMayLeadAreCountedAfterTheFirstTwenty() throws {
        var b = ScenarioBuilder()
        for k in 1...33 {
            b.school("S\(k)", phase: .secondary)
            b.need("S\(k)", "literacy", days: 1, priority: 2)
        }
        b.adviser("A1", ["literacy": 3], phases: [.primary])
        var reasons: [String] = []
        do { _ = try solve(b.scenario) } catch AllocationError.noFeasiblePlan(let lines) { reasons = lines }
        #expect(reasons.count == 21)
        #expect(reasons[19] == "school S20 (School S20) needs a lead adviser but nobody is eligible: 1 of 1: they do not work in this phase")
        #expect(reasons[20] == "13 more schools that nobody may lead (33 in all): S21, S22, S23, S24, S25, S26, S27, S28, S29, S30, ...")
    }
}
