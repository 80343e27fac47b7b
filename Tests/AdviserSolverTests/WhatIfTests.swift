import AdviserModel
import Testing
@testable import AdviserSolver

/// Hand-made what-ifs whose diff is known exactly.
@Suite struct WhatIfTests {
    /// Three schools, each best served by its own adviser; a fourth adviser can cover anything, less well.
    func threeSchools() -> ScenarioBuilder {
        var b = ScenarioBuilder()
        b.rules.leadDays = 1
        for (s, area) in [("S1", "literacy"), ("S2", "maths"), ("S3", "send")] {
            b.school(s)
            b.need(s, area, days: 2, priority: 2)
        }
        b.adviser("A1", ["literacy": 3])
        b.adviser("A2", ["maths": 3])
        b.adviser("A3", ["send": 3])
        b.adviser("A4", ["literacy": 1, "maths": 1, "send": 1])
        for s in ["S1", "S2", "S3"] { b.minutes("A4", s, 40) }  // so each school's own adviser is the cheaper lead
        return b
    }

    func resolve(_ scenario: Scenario, base: Plan, weight: Double = 500, keepAll: Bool = false) throws -> AllocationResult {
        var options = AllocationOptions()
        options.basePlan = base
        options.disruptionWeight = weight
        options.keepAllFeasible = keepAll
        return try AllocationSolver.solve(scenario, options: options)
    }

    @Test func anAdviserLeavesAndOnlyTheirSchoolMoves() throws {
        let b = threeSchools()
        let base = try AllocationSolver.solve(b.scenario).plan
        #expect(rosterLines(base) == ["A1>S1 lead literacy:2", "A2>S2 lead maths:2", "A3>S3 lead send:2"])
        var changed = b
        changed.advisers.removeAll { $0.id == "A2" }
        let result = try resolve(changed.scenario, base: base)
        #expect(rosterLines(result.plan) == ["A1>S1 lead literacy:2", "A3>S3 lead send:2", "A4>S2 lead maths:2"])
        let diff = PlanDiff.between(base, result.plan, changed: changed.scenario, bonusAfter: result.disruptionBonus)
        #expect(diff.schools.map { "\($0.school) \($0.leadBefore ?? "-")->\($0.leadAfter ?? "-") \($0.why)" } == ["S2 A2->A4 the adviser left"])
        #expect(diff.kept == 2 && diff.removed == ["A2>S2"] && diff.added == ["A4>S2"])
        // Two kept pairings, both leads that stay leads: 2 x (500 + 500) points of disruption bonus.
        #expect(result.disruptionBonus == 2000)
        #expect(diff.after.objective == result.plan.objective.map { $0 - 2000 })
        #expect(diff.advisers.map(\.adviser) == ["A2", "A4"])
    }

    /// Each school's reason in its own words: a lead whose adviser is still in the programme but may no longer
    /// work there (a forbidden pairing, twice, so the one eligibility table serves both), and a lead who left.
    @Test func aLeadThatMayNoLongerWorkThereSaysSo() throws {
        let b = threeSchools()
        let base = try AllocationSolver.solve(b.scenario).plan
        var changed = b.scenario
        changed.forbiddenPairs = [PairKey(adviser: "A1", school: "S1"), PairKey(adviser: "A3", school: "S3")]
        changed.advisers.removeAll { $0.id == "A2" }
        let after = try resolve(changed, base: base).plan
        #expect(rosterLines(after) == ["A4>S1 lead literacy:2", "A4>S2 lead maths:2", "A4>S3 lead send:2"])
        #expect(PlanDiff.between(base, after, changed: changed).schools.map { "\($0.school) \($0.leadBefore ?? "-")->\($0.leadAfter ?? "-") \($0.why)" } == [
            "S1 A1->A4 no longer allowed", "S2 A2->A4 the adviser left", "S3 A3->A4 no longer allowed",
        ])
    }

    /// A1 covers literacy at S1 (50% disadvantaged) and S2 (10%); A2 can cover both less well.
    func capacityCase(_ capacity: Double) -> Scenario { twoSchoolsOneExpert(capacity: capacity) }

    @Test func aCapacityCutMovesTheLeastValuablePairingFirst() throws {
        let base = try AllocationSolver.solve(capacityCase(20)).plan
        #expect(rosterLines(base) == ["A1>S1 specialist literacy:3", "A1>S2 specialist literacy:3"])
        // With a small disruption weight (10): keeping both pairings by splitting A1's 3 days would cost 12
        // points of match value for 10 of bonus, so the pairing worth less moves: A1's edge over A2 is 33 a
        // day at S2 against 45 at S1. (A weight of 500 keeps both pairings, with fewer days each.)
        let result = try resolve(capacityCase(3.2), base: base, weight: 10)
        #expect(rosterLines(result.plan) == ["A1>S1 specialist literacy:3", "A2>S2 specialist literacy:3"])
        let diff = PlanDiff.between(base, result.plan, changed: capacityCase(3.2))
        #expect(diff.removed == ["A1>S2"] && diff.added == ["A2>S2"] && diff.kept == 1)
        #expect(diff.schools.map(\.why) == ["capacity"])
    }

    /// One school whose base plan has only A2; then A1, a better match and nearer, joins.
    func aBetterMatchJoins() throws -> (joined: ScenarioBuilder, base: Plan) {
        var b = ScenarioBuilder()
        b.school("S1")
        b.need("S1", "literacy", days: 2, priority: 2)
        b.adviser("A2", ["literacy": 1])
        let base = try AllocationSolver.solve(b.scenario).plan
        b.adviser("A1", ["literacy": 3])
        b.minutes("A1", "S1", 5)
        return (b, base)
    }

    @Test func disruptionWeightDecidesWhetherABetterMatchIsWorthAMove() throws {
        let (b, base) = try aBetterMatchJoins()
        // Weight 500: A2 stays lead (1,000 points for the pairing and the role); A1 brings the literacy days,
        // worth 2 x 10 x (3 - 1) x 2 x 1.2 = 96 more.
        #expect(rosterLines(try resolve(b.scenario, base: base, weight: 500).plan) == ["A1>S1 specialist literacy:2", "A2>S1 lead"])
        // Weight 0: A1 alone, 0.5 points better than keeping A2 as lead for its lead-day travel.
        let moved = try resolve(b.scenario, base: base, weight: 0).plan
        #expect(rosterLines(moved) == ["A1>S1 lead literacy:2"])
        #expect(PlanDiff.between(base, moved, changed: b.scenario).schools.map(\.why) == ["rebalanced"])
    }

    /// A specialist who may no longer work at a school whose lead stays is "no longer allowed" too, not
    /// "rebalanced".
    @Test func aSpecialistWhoMayNoLongerWorkThereSaysSo() throws {
        // With a disruption weight of 500, A2 stays lead and A1 brings the literacy days (as in the test above).
        let (b, first) = try aBetterMatchJoins()
        let base = try resolve(b.scenario, base: first, weight: 500).plan
        #expect(rosterLines(base) == ["A1>S1 specialist literacy:2", "A2>S1 lead"])
        var changed = b.scenario
        changed.forbiddenPairs = [PairKey(adviser: "A1", school: "S1")]
        let after = try resolve(changed, base: base).plan
        #expect(rosterLines(after) == ["A2>S1 lead literacy:2"])
        #expect(PlanDiff.between(base, after, changed: changed).schools.map { "\($0.school) \($0.leadBefore ?? "-")->\($0.leadAfter ?? "-") \($0.why)" } == [
            "S1 A2->A2 no longer allowed",
        ])
        // Without the scenario (as the HTML page compares), the same move can only be "rebalanced".
        #expect(PlanDiff.between(base, after, changed: nil).schools.map(\.why) == ["rebalanced"])
    }

    @Test func keepAllFeasibleKeepsEveryAllowedPairing() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.need("S1", "literacy", days: 2, priority: 2)
        b.adviser("A2", ["literacy": 1])
        let base = try AllocationSolver.solve(b.scenario).plan
        b.adviser("A1", ["literacy": 3])
        let kept = try resolve(b.scenario, base: base, weight: 0, keepAll: true).plan
        // A2 must stay (and stay lead); A1 may still bring its better literacy days.
        #expect(kept.assignments.contains { $0.adviser == "A2" && $0.role == .lead })
        #expect(PlanChecker.check(kept, against: b.scenario) == [])
    }

    @Test func forbiddenAndRequiredPairingsAreHonoured() throws {
        let b = threeSchools()
        var s = b.scenario
        s.forbiddenPairs = [PairKey(adviser: "A1", school: "S1")]
        s.requiredPairs = [RosterEntry(adviser: "A4", school: "S3", role: .lead)]
        let plan = try AllocationSolver.solve(s).plan
        #expect(!plan.assignments.contains { $0.adviser == "A1" && $0.school == "S1" })
        #expect(plan.assignments.contains { $0.adviser == "A4" && $0.school == "S3" && $0.role == .lead })
        s.requiredPairs = [RosterEntry(adviser: "A1", school: "S1", role: .lead)]
        #expect(throws: AllocationError.noFeasiblePlan(["the required pairing of A1 with S1 is not allowed: the pairing is forbidden by a change"])) {
            try AllocationSolver.solve(s)
        }
    }

    @Test func stillValidVisitsKeepTheirDates() throws {
        var b = threeSchools()
        var s = b.scenario
        s.programme.start = CivilDate(iso: "2026-01-05")!
        s.programme.end = CivilDate(iso: "2026-03-27")!
        s.terms = [Term(name: "Spring 2026", start: CivilDate(iso: "2026-01-05")!, end: CivilDate(iso: "2026-03-27")!, halfTerm: nil)]
        let base = try Planner.plan(s).plan
        #expect(base.visits.count == 9 && base.unplaced.isEmpty)
        b.advisers.removeAll { $0.id == "A2" }
        var changed = b.scenario
        changed.programme = s.programme
        changed.terms = s.terms
        var options = AllocationOptions()
        options.basePlan = base
        let after = try Planner.plan(changed, options: options).plan
        // S1 and S3 keep A1 and A3 with the same days, so their six visits keep their dates.
        let keptBefore = base.visits.filter { $0.adviser != "A2" }
        #expect(after.visits.filter { $0.adviser != "A4" } == keptBefore)
        #expect(PlanDiff.between(base, after, changed: changed).visitsKept == 6)
        #expect(PlanChecker.checkVisits(after, against: changed) == [])
    }

    /// `b` without A1, and the options of its what-if re-planned around that change from `base`.
    func a1Leaves(_ b: ScenarioBuilder, base: Plan) -> (ScenarioBuilder, AllocationOptions) {
        var leaves = b
        leaves.advisers.removeAll { $0.id == "A1" }
        var options = AllocationOptions()
        options.basePlan = base
        options.changeReach = ScenarioChange.Reach(advisers: ["A1"])
        options.replan = .neighbourhood
        return (leaves, options)
    }

    /// `twoClusters()`, A1 leaves: re-planned around the change, only S1 moves (A2 leads it and does its literacy)
    /// and S2 keeps its unmet days; re-planned whole, A4 also takes S2's science. A change that touches nothing of
    /// the plan (A4, who works nowhere, leaves) re-plans nothing.
    @Test func aWhatIfPlannedAroundItsChangeKeepsTheRestOfTheBasePlan() throws {
        let (b, base) = try twoClusters()
        #expect(rosterLines(base) == ["A1>S1 lead literacy:2", "A3>S2 lead science:2"])
        var (leaves, options) = a1Leaves(b, base: base)
        let around = try AllocationSolver.solve(leaves.scenario, options: options)
        #expect(rosterLines(around.plan) == ["A2>S1 lead literacy:2", "A3>S2 lead science:2"])
        #expect(around.replannedSchools == 1 && around.plan.unmetDays == 2 && around.plan.status == .feasible)
        #expect(around.solverLog == "Re-planned around the change: 1 school re-planned, searched by GLPK (3 columns, proven best there).\n")
        options.replan = .whole
        let whole = try AllocationSolver.solve(leaves.scenario, options: options)
        #expect(whole.replannedSchools == nil && whole.plan.unmetDays == 0)
        #expect(rosterLines(whole.plan).contains { $0.hasPrefix("A4>S2") })

        var idleLeaves = b
        idleLeaves.advisers.removeAll { $0.id == "A4" }
        options.replan = .neighbourhood
        options.changeReach = ScenarioChange.Reach(advisers: ["A4"])
        let nothing = try AllocationSolver.solve(idleLeaves.scenario, options: options)
        #expect(rosterLines(nothing.plan) == rosterLines(base) && nothing.replannedSchools == 0)
        #expect(nothing.solverLog == "Re-planned around the change: nothing to re-plan: the base plan still holds.\n")
    }

    /// A chain of leads: S1 (area a: A1, A2), S2 (b: A2, A3), S3 (c: A3, A4), each adviser at one school at most.
    /// The base, made without A4, has A1, A2 and A3 leading S1, S2 and S3. When A1 leaves, A2 must move to S1,
    /// A3 to S2 and A4 to S3; around the change only S1 and S2 (A2's school) may move, and A3 stays held at S3,
    /// so no plan keeps the rest of the base plan: the whole programme is re-planned instead, and the log says so.
    @Test func aChangeThatNeedsWiderMovesIsReplannedWhole() throws {
        var b = ScenarioBuilder()
        for (school, area) in [("S1", "a"), ("S2", "b"), ("S3", "c")] {
            b.school(school)
            b.need(school, area, days: 1, priority: 2)
        }
        b.adviser("A1", ["a": 2], maxSchools: 1)
        b.adviser("A2", ["a": 2, "b": 2], maxSchools: 1)
        b.adviser("A3", ["b": 2, "c": 2], maxSchools: 1)
        b.adviser("A4", ["c": 2], maxSchools: 1)
        var withoutA4 = b
        withoutA4.advisers.removeAll { $0.id == "A4" }
        let base = try AllocationSolver.solve(withoutA4.scenario).plan
        #expect(rosterLines(base) == ["A1>S1 lead a:1", "A2>S2 lead b:1", "A3>S3 lead c:1"])
        let (leaves, options) = a1Leaves(b, base: base)
        let result = try AllocationSolver.solve(leaves.scenario, options: options)
        #expect(result.replannedSchools == nil)
        #expect(result.solverLog.hasPrefix("Re-planning around the change found no plan that keeps the rest of the base plan; the whole programme was re-planned.\n"))
        #expect(rosterLines(result.plan) == ["A2>S1 lead a:1", "A3>S2 lead b:1", "A4>S3 lead c:1"])
    }
}
