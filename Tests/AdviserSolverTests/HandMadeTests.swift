import AdviserModel
import Testing
import GLPK
@testable import AdviserSolver

/// Small cases whose optimum is worked out by hand in the comments; each rule changes the answer.
@Suite struct HandMadeAllocationTests {
    /// A1 is the stronger literacy expert and closer, but employed by the school's local authority.
    func independenceCase(_ level: IndependenceLevel) -> Scenario {
        var b = ScenarioBuilder()
        b.rules.independence = level
        b.school("S1")
        b.adviser("A1", ["literacy": 3], la: "Knowsley")
        b.adviser("A2", ["literacy": 1], la: "Wigan")
        b.minutes("A1", "S1", 5)
        b.minutes("A2", "S1", 20)
        b.need("S1", "literacy", days: 2, priority: 3)
        return b.scenario
    }

    @Test func independenceFromTheLocalAuthorityExcludesTheBetterAdviser() throws {
        let free = try AllocationSolver.solve(independenceCase(.none)).plan
        #expect(rosterLines(free) == ["A1>S1 lead literacy:2"])
        let independent = try AllocationSolver.solve(independenceCase(.localAuthority)).plan
        #expect(rosterLines(independent) == ["A2>S1 lead literacy:2"])
        #expect(independent.status == .optimal && independent.gap == 0)
        // Trust-level independence does not look at the local authority.
        let trustOnly = try AllocationSolver.solve(independenceCase(.trust)).plan
        #expect(rosterLines(trustOnly) == ["A1>S1 lead literacy:2"])
    }

    @Test func trustIndependenceAndOwnSchoolExclude() throws {
        var b = ScenarioBuilder()
        b.rules.independence = .trust
        b.school("S1", trust: "Oak Trust")
        b.school("S2", trust: "Elm Trust")
        b.adviser("A1", ["literacy": 3], trust: "Oak Trust", homeSchool: "S2")
        b.adviser("A2", ["literacy": 2], trust: "Elm Trust")
        b.need("S1", "literacy", days: 1, priority: 2)
        b.need("S2", "literacy", days: 1, priority: 2)
        // A1 may advise neither its trust's school S1 nor its own school S2; A2 not S2 (its trust).
        #expect(throws: AllocationError.self) { try AllocationSolver.solve(b.scenario) }
        b.adviser("A3", ["literacy": 1], trust: nil)
        b.minutes("A3", "S1", 30)  // so that A2, nearer, is the one lead for S1
        let plan = try AllocationSolver.solve(b.scenario).plan
        #expect(rosterLines(plan) == ["A2>S1 lead literacy:1", "A3>S2 lead literacy:1"])
    }

    @Test func phaseDecidesWhoCanWorkInASecondary() throws {
        var b = ScenarioBuilder()
        b.school("S1", phase: .secondary)
        b.adviser("A1", ["literacy": 3], phases: [.primary])
        b.adviser("A2", ["literacy": 1], phases: [.secondary])
        b.minutes("A1", "S1", 5)
        b.minutes("A2", "S1", 30)
        b.need("S1", "literacy", days: 3, priority: 2)
        #expect(rosterLines(try AllocationSolver.solve(b.scenario).plan) == ["A2>S1 lead literacy:3"])
        b.advisers[0].phases = [.primary, .secondary]
        #expect(rosterLines(try AllocationSolver.solve(b.scenario).plan) == ["A1>S1 lead literacy:3"])
    }

    /// Value per day = 10 x level x priority x (1 + disadvantaged%/100) - 0.05 x 2 x minutes:
    /// A1 at S1 134, at S2 98; A2 at S1 89, at S2 65. With room for only 3 days A1 goes where its
    /// advantage over A2 is largest (S1: 45/day against S2: 33/day); with room for all, A1 does both.
    func capacityCase(_ capacity: Double) -> Scenario { twoSchoolsOneExpert(capacity: capacity) }

    @Test func capacityMovesWorkToTheNextBestAdviser() throws {
        #expect(rosterLines(try AllocationSolver.solve(capacityCase(20)).plan) == ["A1>S1 specialist literacy:3", "A1>S2 specialist literacy:3"])
        // 3 days with 10 minutes' travel each way use 3 x (1 + 20/450) = 3.13 days.
        let tight = try AllocationSolver.solve(capacityCase(3.2)).plan
        #expect(rosterLines(tight) == ["A1>S1 specialist literacy:3", "A2>S2 specialist literacy:3"])
        #expect(abs(tight.assignments.first { $0.adviser == "A1" }!.capacityDays - 3 * (1 + 20.0 / 450)) < 1e-9)
        #expect(PlanChecker.check(tight, against: capacityCase(3.2)).isEmpty)
    }

    @Test func withoutTravelInCapacityAVisitDayIsADay() throws {
        // 6 visit days need 6 x (1 + 20/450) = 6.27 days when travel uses capacity: A1 does S1 (3.13 days) and
        // 2 of S2's days (2.09), A2 the last. With travel_uses_capacity = false a day at a school is one day.
        var scenario = capacityCase(6)
        #expect(rosterLines(try AllocationSolver.solve(scenario).plan)
                == ["A1>S1 specialist literacy:3", "A1>S2 specialist literacy:2", "A2>S2 specialist literacy:1"])
        scenario.rules.travelUsesCapacity = false
        let plan = try AllocationSolver.solve(scenario).plan
        #expect(rosterLines(plan) == ["A1>S1 specialist literacy:3", "A1>S2 specialist literacy:3"])
        #expect(plan.assignments.allSatisfy { $0.capacityDays == 3 })
        #expect(PlanChecker.check(plan, against: scenario).isEmpty)
        // The checker applies the scenario's own rule: the same plan breaks capacity when travel counts.
        scenario.rules.travelUsesCapacity = true
        #expect(!PlanChecker.check(plan, against: scenario).isEmpty)
    }

    @Test func maxSchoolsLimitsHowManySchoolsAnAdviserTakes() throws {
        var s = capacityCase(20)
        s.advisers[0].maxSchools = 1
        #expect(rosterLines(try AllocationSolver.solve(s).plan) == ["A1>S1 specialist literacy:3", "A2>S2 specialist literacy:3"])
    }

    /// A1 (level 3, £800/day) is worth more than A2 (level 2, £400/day) on the 4-day need.
    func budgetCase(_ budget: Double?) -> Scenario {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.budget = budget
        b.school("S1")
        b.adviser("A1", ["literacy": 3], rate: 800)
        b.adviser("A2", ["literacy": 2], rate: 400)
        b.need("S1", "literacy", days: 4, priority: 2)
        return b.scenario
    }

    @Test func budgetBuysCoverageBeforeQuality() throws {
        #expect(rosterLines(try AllocationSolver.solve(budgetCase(nil)).plan) == ["A1>S1 specialist literacy:4"])
        // £1,900: A1 for any day leaves too little for the other three (800 + 3 x 400 = 2,000), so A2 does all four.
        #expect(rosterLines(try AllocationSolver.solve(budgetCase(1900)).plan) == ["A2>S1 specialist literacy:4"])
        // £2,000 exactly: one day of A1 and three of A2.
        #expect(rosterLines(try AllocationSolver.solve(budgetCase(2000)).plan) == ["A1>S1 specialist literacy:1", "A2>S1 specialist literacy:3"])
        // £1,000: two days of A2, the rest unmet because of the budget.
        let short = try AllocationSolver.solve(budgetCase(1000)).plan
        #expect(rosterLines(short) == ["A2>S1 specialist literacy:2"])
        #expect(short.unmet.map { "\($0.school) \($0.area) \(formatNumber($0.days)) \($0.reason.rawValue)" } == ["S1 literacy 2 budget"])
        #expect(short.totalCost == 800)
    }

    @Test func continuityKeepsAnExistingLead() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["literacy": 2])
        b.adviser("A2", ["literacy": 2])
        b.minutes("A1", "S1", 10)
        b.minutes("A2", "S1", 40)
        b.need("S1", "literacy", days: 2, priority: 2)
        #expect(rosterLines(try AllocationSolver.solve(b.scenario).plan) == ["A1>S1 lead literacy:2"])
        b.roster = [RosterEntry(adviser: "A2", school: "S1", role: .lead)]
        // A2 stays lead (bonus 200 for the pairing and 200 for the role against 3 points of extra travel);
        // the literacy days still go to the nearer A1, whose pairing costs nothing extra.
        #expect(rosterLines(try AllocationSolver.solve(b.scenario).plan) == ["A1>S1 specialist literacy:2", "A2>S1 lead"])
        // With a bonus of 1 (2 for pairing and role), 3 points of travel outweigh it: A1 leads alone.
        b.weights.continuity = 1
        #expect(rosterLines(try AllocationSolver.solve(b.scenario).plan) == ["A1>S1 lead literacy:2"])
    }

    @Test func leadAndSpecialistSplitTheWork() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.adviser("A1", ["leadership": 3])
        b.adviser("A2", ["send": 3])
        b.minutes("A1", "S1", 10)
        b.minutes("A2", "S1", 20)
        b.need("S1", "leadership", days: 2, priority: 3)
        b.need("S1", "send", days: 3, priority: 2)
        let plan = try AllocationSolver.solve(b.scenario).plan
        #expect(rosterLines(plan) == ["A1>S1 lead leadership:2", "A2>S1 specialist send:3"])
        #expect(plan.assignments.first { $0.adviser == "A1" }!.leadDays == 1)
        #expect(plan.unmet.isEmpty)
    }

    @Test func unmetNeedsSayWhy() throws {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.school("S1")
        b.school("S2", phase: .secondary)
        b.adviser("A1", ["literacy": 3], capacity: 2.5, phases: [.primary])
        b.need("S1", "literacy", days: 4, priority: 3)
        b.need("S1", "finance", days: 1, priority: 1)
        b.need("S2", "literacy", days: 1, priority: 1)
        let plan = try AllocationSolver.solve(b.scenario).plan
        #expect(rosterLines(plan) == ["A1>S1 specialist literacy:2"])
        #expect(plan.unmet.map { "\($0.school) \($0.area) \(formatNumber($0.days)) \($0.reason.rawValue): \($0.detail)" } == [
            "S1 literacy 2 capacity_exhausted: A1 has 0.4 days left",
            "S1 finance 1 no_eligible_adviser: no adviser has finance expertise",
            "S2 literacy 1 no_eligible_adviser: A1: they do not work in this phase",
        ])
        #expect(PlanChecker.check(plan, against: b.scenario).isEmpty)
    }

    /// A national programme can have hundreds of experts for a need nobody eligible can take, and hundreds
    /// of eligible advisers who are all full: beyond 12, the detail counts them instead of naming each.
    @Test func manyExpertsAreCountedNotListed() throws {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.school("S1", phase: .secondary)
        b.school("S2")
        // A day of capacity cannot hold a visit day and its travel: each has 1 day left and none to give.
        for i in 1...14 { b.adviser("P\(i)", ["maths": 2], capacity: 1, phases: [.primary]) }
        for i in 1...2 { b.adviser("F\(i)", ["maths": 2], phases: [.secondary]); b.minutes("F\(i)", "S1", 90) }
        b.need("S1", "maths", days: 1, priority: 1)
        b.need("S2", "maths", days: 20, priority: 1)
        let plan = try AllocationSolver.solve(b.scenario).plan
        let details = Dictionary(uniqueKeysWithValues: plan.unmet.map { ($0.school, "\($0.reason.rawValue): \($0.detail)") })
        #expect(details["S1"] == "no_eligible_adviser: 16 advisers have maths expertise; 14: they do not work in this phase; 2: the school is beyond the travel limit")
        #expect(details["S2"] == "capacity_exhausted: " + (1...12).map { "P\($0) has 1 days left" }.joined(separator: "; ") + "; and 2 more eligible advisers")
        #expect(PlanChecker.check(plan, against: b.scenario).isEmpty)
    }

    /// rules.candidate_advisers = 1: each school keeps only its nearest eligible adviser (an ineligible one
    /// nearer does not count), plus the adviser of a current pairing; what nobody kept can cover is
    /// explained, and the checker refuses a pairing outside the candidates.
    @Test func candidateAdvisersKeepsTheNearestAndCurrentPairings() throws {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.rules.leadDays = 0
        b.rules.candidateAdvisers = 1
        b.school("S1")
        b.school("S2")
        b.adviser("A1", ["literacy": 1], phases: [.secondary])  // nearest to S1, but not in its phase
        b.adviser("A2", ["literacy": 1])
        b.adviser("A3", ["literacy": 3, "maths": 3])
        b.minutes("A1", "S1", 5); b.minutes("A2", "S1", 10); b.minutes("A3", "S1", 20)
        b.minutes("A2", "S2", 30); b.minutes("A3", "S2", 15)
        b.need("S1", "literacy", days: 2, priority: 1)
        b.need("S1", "maths", days: 1, priority: 1)
        b.need("S2", "literacy", days: 2, priority: 1)
        let formulation = AllocationFormulation(scenario: b.scenario)
        let kept = formulation.pairs.map { "\(b.scenario.advisers[$0.adviser].id)>\(b.scenario.schools[$0.school].id)" }
        #expect(kept == ["A2>S1", "A3>S2"])
        let plan = try AllocationSolver.solve(b.scenario).plan
        #expect(rosterLines(plan) == ["A2>S1 specialist literacy:2", "A3>S2 specialist literacy:2"])
        #expect(plan.model.candidateAdvisers == 1)
        #expect(plan.unmet.map { "\($0.school) \($0.area) \($0.reason.rawValue): \($0.detail)" } == [
            "S1 maths no_eligible_adviser: A3: they are not among the school's nearest eligible advisers (rules.candidate_advisers)",
        ])
        #expect(PlanChecker.check(plan, against: b.scenario).isEmpty)
        // A3 is better for S1 but not its candidate: the checker says so.
        var moved = plan
        moved.assignments[0].adviser = "A3"
        moved.assignments[0].days = ["literacy": 2]
        #expect(PlanChecker.check(moved, against: b.scenario).map(\.rule).contains("candidates"))
        // A current pairing is always a candidate.
        b.roster = [RosterEntry(adviser: "A3", school: "S1", role: .specialist)]
        let withRoster = AllocationFormulation(scenario: b.scenario)
        #expect(withRoster.pairs.map { "\(b.scenario.advisers[$0.adviser].id)>\(b.scenario.schools[$0.school].id)" } == ["A2>S1", "A3>S1", "A3>S2"])
        #expect(PlanChecker.check(try AllocationSolver.solve(b.scenario).plan, against: b.scenario).isEmpty)
    }

    /// Two groups that share no eligible pair, counted as the blocks the solver splits into:
    /// A1 and A2 at S1 and S2 (all four pairs; literacy needs at both, A2 also has maths for S2's maths
    /// need) and A3 alone at S3 (beyond the travel limit of the others). Lead rule on: two columns per pair.
    ///   group 1: 4 pairs x 2 + candidates (S1 literacy: A1, A2; S2 literacy: A1, A2; S2 maths: A2) 5
    ///            + 3 needs with a candidate = 16
    ///   group 2: 1 pair x 2 + 1 candidate + 1 need = 4; S3's finance need has no candidate (a block of its own)
    @Test func theLargestBlockIsCountedFromTheEligiblePairs() throws {
        var b = ScenarioBuilder()
        b.school("S1"); b.school("S2"); b.school("S3")
        b.adviser("A1", ["literacy": 3])
        b.adviser("A2", ["literacy": 2, "maths": 2])
        b.adviser("A3", ["literacy": 1])
        for a in ["A1", "A2"] { b.minutes(a, "S3", 200) }
        for s in ["S1", "S2"] { b.minutes("A3", s, 200) }
        b.need("S1", "literacy", days: 2, priority: 1)
        b.need("S2", "literacy", days: 2, priority: 1)
        b.need("S2", "maths", days: 1, priority: 1)
        b.need("S3", "literacy", days: 2, priority: 1)
        b.need("S3", "finance", days: 1, priority: 1)
        let formulation = AllocationFormulation(scenario: b.scenario)
        #expect(formulation.pairs.count == 5)
        #expect(formulation.largestBlockColumns == 16)
        // The split GLPK makes agrees: blocks of 16, 4 and 1 columns (the budget-free model links nothing).
        let blocks = ModelBlocks(formulation.model, linkingRows: []).blocks.map(\.columns.count).sorted()
        #expect(blocks == [1, 4, 16])
    }

    /// 25 advisers can reach both schools: A01 is 11 minutes from S1, A25 35; the other way round for S2
    /// (A25 15 minutes, A01 39). With more than twice 10 pairs per school and a block left to the
    /// heuristic, the starting plan is first made with each school's 10 nearest: A01-A10 for S1, A16-A25 for S2.
    /// Two schools, each with 25 possible advisers at distinct distances (A01 nearest S1, A25 nearest S2).
    private func twoSchoolsAndTwentyFiveAdvisers() -> ScenarioBuilder {
        var b = ScenarioBuilder()
        b.school("S1"); b.school("S2")
        for i in 1...25 {
            let a = String(format: "A%02d", i)
            b.adviser(a, ["literacy": 2], capacity: 4, maxSchools: 2)
            b.minutes(a, "S1", Double(10 + i))
            b.minutes(a, "S2", Double(40 - i))
        }
        b.need("S1", "literacy", days: 6, priority: 2)
        b.need("S2", "literacy", days: 6, priority: 1)
        return b
    }

    @Test func aLargeUnrestrictedModelStartsFromItsNearestAdvisersPlan() throws {
        let b = twoSchoolsAndTwentyFiveAdvisers()
        let formulation = AllocationFormulation(scenario: b.scenario)
        #expect(formulation.pairs.count == 50)
        let (seed, carried, note) = AllocationSolver.nearestFirstPlan(formulation, options: AllocationOptions(), heuristicOnly: true,
                                                                     deadline: nil, beside: nil)
        let plan = try #require(seed)
        #expect(carried == nil, "only a stop carries the plan over as it is")
        #expect(note.hasPrefix("Starting plan first made with each school's 10 nearest advisers (20 of 50 pairs"))
        #expect(!plan.assignments.isEmpty)
        for a in plan.assignments {
            let n = Int(a.adviser.dropFirst())!
            #expect(a.school == "S1" ? n <= 10 : n >= 16, "\(a.adviser) at \(a.school) is not among its 10 nearest")
        }
        #expect(PlanChecker.check(plan, against: b.scenario).isEmpty)
        // Not for a block GLPK searches, nor when the scenario already keeps the nearest.
        #expect(AllocationSolver.nearestFirstPlan(formulation, options: AllocationOptions(), heuristicOnly: false,
                                                  deadline: nil, beside: nil).seed == nil)
        var kept = b.scenario
        kept.rules.candidateAdvisers = 10
        #expect(AllocationSolver.nearestFirstPlan(AllocationFormulation(scenario: kept), options: AllocationOptions(), heuristicOnly: true,
                                                  deadline: nil, beside: nil).seed == nil)
    }

    /// Stopped (Ctrl-C) once the nearest advisers' plan is made, that plan is carried over to the whole model's
    /// columns as it is, pairing by pairing, instead of setting up the whole model's heuristic to take it in
    /// (7 s on a national model without candidate_advisers): the same pairings, a plan of the whole model.
    @Test func aStopCarriesTheNearestAdvisersPlanOverAsItIs() throws {
        let b = twoSchoolsAndTwentyFiveAdvisers()
        let formulation = AllocationFormulation(scenario: b.scenario)
        var options = AllocationOptions()
        options.shouldStop = { true }
        let (seed, carried, _) = AllocationSolver.nearestFirstPlan(formulation, options: options, heuristicOnly: true,
                                                                   deadline: nil, beside: nil)
        let plan = try #require(seed), values = try #require(carried)
        #expect(StartingPlan.verify(values, model: formulation.model))
        let whole = PlanExtractor.plan(from: values, formulation: formulation, status: .feasible, objective: nil, bound: nil, gap: nil)
        #expect(!whole.assignments.isEmpty && whole.assignments == plan.assignments)
        // A plan of the whole model does not fit the nearest advisers' model: not carried the other way.
        var nearest = b.scenario
        nearest.rules.candidateAdvisers = 1
        let restricted = AllocationFormulation(scenario: nearest)
        let far = try #require(StartingPlan.build(formulation))
        #expect(AllocationSolver.carryOver(far, from: formulation, to: restricted) == nil)
    }

    @Test func aSchoolWithNoPossibleLeadIsReportedNotSolved() throws {
        var b = ScenarioBuilder()
        b.school("S1", phase: .secondary)
        b.school("S2")
        b.adviser("A1", ["literacy": 3], phases: [.primary])
        b.minutes("A1", "S2", 90)
        b.need("S1", "literacy", days: 2, priority: 2)
        b.need("S2", "literacy", days: 2, priority: 2)
        #expect(throws: AllocationError.noFeasiblePlan([
            "school S1 (School S1) needs a lead adviser but nobody is eligible: 1 of 1: they do not work in this phase",
            "school S2 (School S2) needs a lead adviser but nobody is eligible: 1 of 1: the school is beyond the travel limit",
        ])) { try AllocationSolver.solve(b.scenario) }
    }

    @Test func leadsThatCannotAllFitMakeThePlanInfeasible() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.school("S2")
        b.adviser("A1", ["literacy": 3], maxSchools: 1)
        b.need("S1", "literacy", days: 1, priority: 2)
        b.need("S2", "literacy", days: 1, priority: 2)
        #expect(throws: AllocationError.noFeasiblePlan([
            "2 schools can be led only by 1 adviser, who has room to lead 1 of them (max_schools, and capacity at 1 lead days each): "
                + "schools S1 (School S1), S2 (School S2); advisers A1 (max_schools 1, capacity_days 20). Raise that adviser's max_schools "
                + "or capacity_days, or add an adviser who may lead one of these schools (phase, independence, expertise and travel decide who may)",
        ])) { try AllocationSolver.solve(b.scenario) }
    }

    /// A school whose only eligible adviser has less capacity than its lead days: named before any search.
    @Test func aSchoolWhoseAdvisersLackTheLeadDaysIsNamed() throws {
        var b = ScenarioBuilder()
        b.rules.leadDays = 2
        b.rules.travelUsesCapacity = false
        b.school("S1")
        b.adviser("A1", ["literacy": 3], capacity: 1.5)
        b.need("S1", "literacy", days: 1, priority: 2)
        #expect(throws: AllocationError.noFeasiblePlan([
            "school S1 (School S1) needs a lead, but no adviser who may work with it has capacity_days for 2 lead days (with travel where it counts)",
        ])) { try AllocationSolver.solve(b.scenario) }
    }

    /// Enough lead places in all (five for four schools), but three schools out west can be led only by A1 and A2,
    /// who have two places between them (A2's capacity holds one lead of three days): named before any search.
    @Test func aGroupOfSchoolsShortOfLeadPlacesIsNamed() throws {
        var b = ScenarioBuilder()
        b.rules.leadDays = 3
        for id in ["W1", "W2", "W3", "E1"] { b.school(id) }
        b.adviser("A1", ["literacy": 3], maxSchools: 1)
        b.adviser("A2", ["literacy": 2], capacity: 4, maxSchools: 4)
        b.adviser("A3", ["literacy": 2])
        for id in ["W1", "W2", "W3", "E1"] { b.need(id, "literacy", days: 1, priority: 2) }
        for id in ["W1", "W2", "W3"] { b.minutes("A3", id, 90) }
        let formulation = AllocationFormulation(scenario: b.scenario)
        let matching = try #require(formulation.eligibility.leadMatching(among: formulation.eligibility.eligiblePairs()))
        #expect(matching.shortfalls.map { [$0.schools, $0.advisers, [$0.places]] } == [[[0, 1, 2], [0, 1], [2]]])
        #expect(throws: AllocationError.noFeasiblePlan([
            "3 schools can be led only by 2 advisers, who have room to lead 2 of them (max_schools, and capacity at 3 lead days each): "
                + "schools W1 (School W1), W2 (School W2), W3 (School W3); advisers A1 (max_schools 1, capacity_days 20), "
                + "A2 (max_schools 4, capacity_days 4). Raise those advisers' max_schools or capacity_days, or add an adviser who may "
                + "lead one of these schools (phase, independence, expertise and travel decide who may)",
        ])) { try AllocationSolver.solve(b.scenario) }
        // One more place for A1 and the plan exists: every school led.
        b.advisers[0].maxSchools = 2
        let plan = try AllocationSolver.solve(b.scenario).plan
        #expect(Set(plan.assignments.filter { $0.role == .lead }.map(\.school)) == ["W1", "W2", "W3", "E1"])
        #expect(PlanChecker.check(plan, against: b.scenario) == [])
    }

    @Test func checkerNamesEveryBrokenRule() throws {
        let scenario = capacityCase(3.2)
        var plan = try AllocationSolver.solve(scenario).plan
        plan.assignments[0].days["literacy"] = 5       // more than the need
        plan.assignments.append(Plan.Assignment(adviser: "A1", school: "S2", role: .specialist, days: ["maths": 1], leadDays: 0,
                                                travelMinutes: 10, capacityDays: 1, cost: 500))
        let rules = Set(PlanChecker.check(plan, against: scenario).map(\.rule))
        #expect(rules == ["capacity", "need"])
        var wrongInputs = try AllocationSolver.solve(scenario).plan
        wrongInputs.scenario.fingerprint = "sha256:other"
        #expect(PlanChecker.check(wrongInputs, against: scenario).map(\.rule) == ["inputs"])
    }
}
