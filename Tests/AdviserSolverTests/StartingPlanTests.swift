import GLPK
import Testing
@testable import AdviserModel
@testable import AdviserSolver

/// The heuristic's lead phase: when its greedy order leaves a school no adviser with room, leads move along
/// a chain to make room.
@Suite struct StartingPlanTests {
    /// S1 may be led by A1 or A2, S2 by A2 or A3, S3 by A1 only (the others are beyond the travel limit);
    /// each adviser may take one school.
    static func threeSchoolsInARow() -> AllocationFormulation {
        var b = ScenarioBuilder()
        for s in ["S1", "S2", "S3"] {
            b.school(s)
            b.need(s, "literacy", days: 1, priority: 2)
        }
        for a in ["A1", "A2", "A3"] { b.adviser(a, ["literacy": 3], maxSchools: 1) }
        for (a, s) in [("A1", "S2"), ("A2", "S3"), ("A3", "S1"), ("A3", "S3")] { b.minutes(a, s, 90) }
        return AllocationFormulation(scenario: b.scenario)
    }

    static func leads(_ search: StartingPlanSearch, _ f: AllocationFormulation) -> [String] {
        f.pairs.indices.filter { search.pairHasLead[$0] }.map { "\(f.scenario.advisers[f.pairs[$0].adviser].id)-\(f.scenario.schools[f.pairs[$0].school].id)" }.sorted()
    }

    static func pair(_ f: AllocationFormulation, _ adviser: String, _ school: String) throws -> Int {
        try #require(f.pairs.firstIndex { f.scenario.advisers[$0.adviser].id == adviser && f.scenario.schools[$0.school].id == school })
    }

    @Test func aChainOfMovedLeadsMakesRoomForASchoolWithOneOption() throws {
        let f = Self.threeSchoolsInARow()
        var search = StartingPlanSearch(f)
        // The state a greedy order can reach: A1 and A2 full, S3 with no adviser who has room.
        let a1s1 = try Self.pair(f, "A1", "S1"), a2s2 = try Self.pair(f, "A2", "S2")
        let done1 = search.tryApply(units: [], leads: [(a1s1, 1)])
        #expect(done1)
        let done2 = search.tryApply(units: [], leads: [(a2s2, 1)])
        #expect(done2)
        #expect(search.schoolsWithoutLead() == [2])
        let chain = search.leadByChain(2, leadPairsOfAdviser: Self.leadPairsOfAdviser(f))
        let moved = try #require(chain)
        #expect(moved == [2, 1, 0])  // A3 takes S2 from A2, who takes S1 from A1, who takes S3
        #expect(Self.leads(search, f) == ["A1-S3", "A2-S1", "A3-S2"])
        #expect(search.schoolsWithoutLead().isEmpty)
    }

    static func leadsOf(_ values: [Double], _ f: AllocationFormulation) -> [String] {
        f.pairs.filter { $0.lead.map { values[$0] > 0.5 } ?? false }
            .map { "\(f.scenario.advisers[$0.adviser].id)-\(f.scenario.schools[$0.school].id)" }.sorted()
    }

    static func leadPairsOfAdviser(_ f: AllocationFormulation) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: f.scenario.advisers.count)
        for (p, pair) in f.pairs.enumerated() where pair.lead != nil { lists[pair.adviser].append(p) }
        return lists
    }

    @Test func aLeadHandedOverAndUndoneLeavesTheSchoolLed() throws {
        let f = Self.threeSchoolsInARow()
        var search = StartingPlanSearch(f)
        let a1 = try Self.pair(f, "A1", "S1"), a2 = try Self.pair(f, "A2", "S1")
        let done3 = search.tryApply(units: [], leads: [(a1, 1)])
        #expect(done3)
        let mark = search.mark()
        // Listed new lead first: the school's flag must follow the lead it ends with, not the list's order.
        let done4 = search.tryApply(units: [], leads: [(a2, 1), (a1, -1)])
        #expect(done4)
        #expect(Self.leads(search, f) == ["A2-S1"])
        #expect(search.schoolsWithoutLead() == [1, 2])
        search.rollback(to: mark)
        #expect(Self.leads(search, f) == ["A1-S1"])
        #expect(search.schoolsWithoutLead() == [1, 2])
        let done5 = search.tryApply(units: [], leads: [(a1, -1), (a2, 1)])
        #expect(done5)
        search.rollback(to: mark)
        #expect(search.schoolsWithoutLead() == [1, 2])
    }

    /// Fewest options first, the greedy order leaves school G000025 with only full advisers; without the
    /// chain there was no first plan, and GLPK needed 150 nodes to find one.
    @Test func everySchoolOfAGeneratedProgrammeIsLedInTheFirstPlan() throws {
        let f = AllocationFormulation(scenario: try ScenarioGenerator.generate(schools: 120, advisers: 18, seed: 7))
        var search = StartingPlanSearch(f)
        let done6 = search.assignLeads()
        #expect(done6)
        #expect(search.schoolsWithoutLead().isEmpty)
        let built = StartingPlan.build(f)  // (the formulation is too large to print on a failure)
        let values = try #require(built)
        #expect(StartingPlan.verify(values, model: f.model))
    }
}

/// Every generated programme has a plan (`generate` makes the leads fit), so the heuristic's lead phase
/// must lead every school of every one: without a first plan the search may end with none.
@Suite struct GeneratedLeadsTests {
    @Test(arguments: [(30, 5), (60, 9), (120, 18), (200, 30), (430, 65)])
    func everySchoolIsLedForEverySeed(size: (schools: Int, advisers: Int)) throws {
        var unled: [String] = []
        for seed in 1...12 {
            let f = AllocationFormulation(scenario: try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: UInt64(seed)))
            var search = StartingPlanSearch(f)
            if !search.assignLeads() { unled.append("seed \(seed): \(search.schoolsWithoutLead().count) schools") }
        }
        #expect(unled.isEmpty)
    }
}

/// A lead the change file requires goes in before the greedy phases: left to them, A1 (the better lead for S1,
/// which comes first) filled its one place at S1, S2 went to A2, and the plan broke the requirement.
@Suite struct FixedPairingsTests {
    @Test func aRequiredLeadIsPlacedBeforeTheGreedyLeads() throws {
        var b = ScenarioBuilder()
        b.school("S1")
        b.need("S1", "maths", days: 2, priority: 2)
        b.school("S2")
        b.need("S2", "literacy", days: 2, priority: 2)
        b.adviser("A1", ["maths": 3, "literacy": 3], maxSchools: 1)
        b.adviser("A2", ["maths": 1, "literacy": 1])
        var scenario = b.scenario
        let free = try #require(StartingPlan.build(AllocationFormulation(scenario: scenario)))
        let f0 = AllocationFormulation(scenario: scenario)
        #expect(StartingPlanTests.leadsOf(free, f0) == ["A1-S1", "A2-S2"])
        scenario.requiredPairs = [RosterEntry(adviser: "A1", school: "S2", role: .lead)]
        let f = AllocationFormulation(scenario: scenario)
        let built = StartingPlan.build(f)
        let values = try #require(built)
        #expect(StartingPlanTests.leadsOf(values, f) == ["A1-S2", "A2-S1"])
    }
}

/// A budget 10% over every school's cheapest lead: chosen by score, the leads spent it before every school
/// had one; chosen again cheapest first, they fit.
@Suite struct TightBudgetLeadsTests {
    @Test(arguments: [(120, 18, 2), (200, 30, 1), (430, 65, 3)] as [(Int, Int, UInt64)])
    func leadsFitABudgetTenPercentOverTheCheapest(size: (schools: Int, advisers: Int, seed: UInt64)) throws {
        var scenario = try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: size.seed)
        let pairs = EligibilityTable(scenario: scenario).eligiblePairs()
        var cheapest = [Double](repeating: .infinity, count: scenario.schools.count)
        for pair in pairs { cheapest[pair.school] = min(cheapest[pair.school], scenario.advisers[pair.adviser].dayRate * scenario.rules.leadDays) }
        scenario.programme.budget = (1.1 * cheapest.reduce(0, +)).rounded(.up)
        let f = AllocationFormulation(scenario: scenario)
        var search = StartingPlanSearch(f)
        let led = search.assignLeads()
        #expect(led)
        #expect(search.schoolsWithoutLead().isEmpty)
        let budgetRow = try #require(f.budgetRow), budget = try #require(scenario.programme.budget)
        #expect(search.activity[budgetRow] <= budget)
    }
}

/// A budget of exactly the cheapest leads every school can have at once: without travel in capacity those
/// leads are a plan, and the lead phase finds them when neither greedy order fits the budget.
@Suite struct CheapestLeadsTests {
    @Test(arguments: [(120, 18, 2), (200, 30, 1), (430, 65, 1), (430, 65, 3)] as [(Int, Int, UInt64)])
    func leadsFitABudgetOfTheCheapestLeadsTogether(size: (schools: Int, advisers: Int, seed: UInt64)) throws {
        var scenario = try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: size.seed)
        let table = EligibilityTable(scenario: scenario)
        let cheapest = try #require(table.cheapestLeadsCost(among: table.eligiblePairs()))
        scenario.programme.budget = cheapest
        let f = AllocationFormulation(scenario: scenario)
        var search = StartingPlanSearch(f)
        #expect(search.cheapestLeadPairs()?.allSatisfy { $0 >= 0 } == true)
        let led = search.assignLeads()
        #expect(led)
        #expect(search.schoolsWithoutLead().isEmpty)
        let budgetRow = try #require(f.budgetRow)
        #expect(search.activity[budgetRow] <= cheapest + 1e-6)
        // A pound less and no plan exists; the solver says so before any search.
        scenario.programme.budget = cheapest - 1
        var reasons: [String] = []
        do { _ = try AllocationSolver.solve(scenario, options: AllocationOptions(nodeLimit: 1)) } catch AllocationError.noFeasiblePlan(let lines) { reasons = lines }
        #expect(reasons.count == 1 && reasons[0].hasPrefix("a lead for every school costs at least £\(Int(cheapest))"), "\(reasons)")
    }
}

@Suite struct NoPlanMessageTests {
    /// The message names the limit that came first, so the user raises the right one.
    @Test func theLimitThatStoppedTheSearchIsTheOneNamed() {
        #expect(AllocationError.noPlanWithinLimit(seconds: 5, nodes: 50).description
            == "No plan was found within the node limit of 50 nodes; allow more with --node-limit (0 for no limit)")
        #expect(AllocationError.noPlanWithinLimit(seconds: 5).description
            == "No plan was found within the time limit of 5 s; allow more time with --time-limit")
        #expect(AllocationError.noPlanWithinLimit(seconds: nil).description
            == "No plan was found before the solve was stopped; allow more time with --time-limit")
    }
}

/// A programme whose regions share no adviser has its two halves improved side by side: each half's moves
/// touch only its own columns, so without a deadline the plan is the one a single thread makes.
@Suite struct ImprovedInHalvesTests {
    /// The greedy plan of a generated programme, ready for the local search.
    static func greedy(_ f: AllocationFormulation) throws -> StartingPlanSearch {
        var search = StartingPlanSearch(f)
        search.takeFixedPairings()
        let led = search.assignLeads()
        try #require(led)
        search.refill(forbiddenCandidate: -1, forbiddenPair: -1)
        return search
    }

    @Test(arguments: [(200, 30, 1), (200, 30, 3)] as [(Int, Int, UInt64)])
    func twoHalvesReachThePlanOneThreadReaches(size: (schools: Int, advisers: Int, seed: UInt64)) throws {
        var scenario = try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: size.seed)
        scenario.programme.budget = nil
        let f = AllocationFormulation(scenario: scenario)
        var one = try Self.greedy(f), two = one
        let split = two.halves()  // (the search is too large to print on a failure)
        let halves = try #require(split)
        // Both halves hold schools, and no eligible pair crosses between them.
        #expect(halves.schools.contains(true) && halves.schools.contains(false))
        #expect(f.pairs.allSatisfy { halves.schools[$0.school] == halves.advisers[$0.adviser] })
        let before = one.objectiveValue
        one.improve(passes: StartingPlan.improvementPasses)
        let improvedInHalves = two.improveInHalves(passes: StartingPlan.improvementPasses)
        #expect(improvedInHalves)
        #expect(one.objectiveValue > before)
        #expect(two.values == one.values)
        #expect(two.objectiveValue == one.objectiveValue)
        #expect(StartingPlan.verify(two.values, model: f.model))
    }

    /// Each half may spend only its part of what the plan leaves of the budget, so the joined plan keeps it.
    @Test func theHalvesTogetherKeepTheBudget() throws {
        var scenario = try ScenarioGenerator.generate(schools: 200, advisers: 30, seed: 1)
        // The greedy plan's spend under a budget that never binds, and 5.5% more: room for the halves, too
        // little for every move.
        scenario.programme.budget = 1e12
        let loose = AllocationFormulation(scenario: scenario)
        let spend = try Self.greedy(loose).activity[try #require(loose.budgetRow)]
        scenario.programme.budget = (1.055 * spend).rounded()
        let f = AllocationFormulation(scenario: scenario)
        var search = try Self.greedy(f)
        let budgetRow = try #require(f.budgetRow), budget = try #require(scenario.programme.budget)
        let greedySpend = search.activity[budgetRow]
        #expect(greedySpend <= budget)
        // Each half alone, with the whole budget's room, spends more than the two may together.
        let split = search.halves()
        let halves = try #require(split)
        let first = (schools: halves.schools, advisers: halves.advisers)
        let second = (schools: halves.schools.map { !$0 }, advisers: halves.advisers.map { !$0 })
        var firstAlone = search, secondAlone = search
        firstAlone.improve(passes: StartingPlan.improvementPasses, within: first)
        secondAlone.improve(passes: StartingPlan.improvementPasses, within: second)
        let extra = firstAlone.activity[budgetRow] + secondAlone.activity[budgetRow] - 2 * greedySpend
        try #require(greedySpend + extra > budget, "the halves would not overspend: \(greedySpend + extra) of \(budget)")
        let improvedInHalves = search.improveInHalves(passes: StartingPlan.improvementPasses)
        #expect(improvedInHalves)
        #expect(search.activity[budgetRow] <= budget + 1e-6)
        #expect(search.rowUpper[budgetRow] == budget)
        #expect(StartingPlan.verify(search.values, model: f.model))
    }

    /// Three schools joined through their advisers are one region: no halves, one thread.
    @Test func aProgrammeOfOneRegionIsImprovedOnOneThread() throws {
        let f = StartingPlanTests.threeSchoolsInARow()
        var search = try Self.greedy(f)
        let split = search.halves()
        #expect(split == nil)
        let improvedInHalves = search.improveInHalves(passes: StartingPlan.improvementPasses)
        #expect(!improvedInHalves)
        #expect(StartingPlan.verify(search.values, model: f.model))
    }
}

/// A region's root relaxation set into the starting plan of the rest and rounded: a plan of the region that,
/// put back into the starting plan, is a plan of the whole model, better than the start there.
@Suite struct RegionRootPlanTests {
    @Test func aRegionsRelaxationRoundsIntoAPlanOfTheRegion() throws {
        var scenario = try ScenarioGenerator.generate(schools: 200, advisers: 30, seed: 1)
        scenario.programme.budget = nil
        let f = AllocationFormulation(scenario: scenario)
        let start = try #require(StartingPlan.build(f))
        // The first half's schools and advisers as the region (a union of regions is planned the same way).
        let split = StartingPlanSearch(f).halves()
        let half = try #require(split)
        var inRegion = [Bool](repeating: false, count: f.model.columns.count)
        for pair in f.pairs where half.schools[pair.school] {
            inRegion[pair.assigned] = true
            if let lead = pair.lead { inRegion[lead] = true }
        }
        for candidate in f.candidates where half.schools[f.pairs[candidate.pair].school] { inRegion[candidate.column] = true }
        for (need, column) in f.unmetColumns.enumerated() where half.schools[scenario.schools.firstIndex { $0.id == scenario.needs[need].school }!] {
            inRegion[column] = true
        }
        let columns = inRegion.indices.filter { inRegion[$0] }
        var relaxed = f.model
        relaxed.columns = f.model.columns.map { Column(name: $0.name, kind: .continuous, lower: $0.lower ?? 0, upper: $0.upper ?? 1, objective: $0.objective) }
        let lp = try GLPKSolver.solve(relaxed)
        let relaxation = columns.map { lp.columnValues[$0] }
        #expect(relaxation.contains { $0 != $0.rounded() })
        let rounding = StartingPlan.RegionRounding(f, start: start)
        let planned = rounding.plan(columns: columns, relaxation: relaxation, passes: 12, deadline: nil)
        let region = try #require(planned)
        var whole = start
        for (k, j) in columns.enumerated() { whole[j] = region[k] }
        #expect(StartingPlan.verify(whole, model: f.model))
        #expect(f.model.objectiveValue(whole) > f.model.objectiveValue(start))

        // The same plan of the region as rounding the whole model with the relaxation set into the start
        // and the local search held to the region, which builds the heuristic's state afresh.
        var x = start
        for (k, j) in columns.enumerated() { x[j] = relaxation[k] }
        let afresh = try #require(StartingPlan.build(f, relaxation: x, passes: 12, within: (half.schools, half.advisers)))
        #expect(region == columns.map { afresh[$0] })

        // The state is built once and copied: the other half's rounding, and this region's again, are as if first.
        let others = inRegion.indices.filter { !inRegion[$0] }
        let otherRelaxation = others.map { lp.columnValues[$0] }
        let other = rounding.plan(columns: others, relaxation: otherRelaxation, passes: 12, deadline: nil)
        #expect(other == StartingPlan.RegionRounding(f, start: start).plan(columns: others, relaxation: otherRelaxation, passes: 12, deadline: nil))
        #expect(rounding.plan(columns: columns, relaxation: relaxation, passes: 12, deadline: nil) == region)
    }

    @Test func aStartThatIsNotAWholePlanRoundsNothing() throws {
        let scenario = try ScenarioGenerator.generate(schools: 40, advisers: 8, seed: 2)
        let f = AllocationFormulation(scenario: scenario)
        var start = try #require(StartingPlan.build(f))
        let columns = Array(0..<f.model.columns.count)
        #expect(StartingPlan.RegionRounding(f, start: start).plan(columns: columns, relaxation: start, passes: 1, deadline: nil) != nil)
        // A relaxation of another length than the region's columns.
        #expect(StartingPlan.RegionRounding(f, start: start).plan(columns: columns, relaxation: [], passes: 1, deadline: nil) == nil)
        #expect(StartingPlan.RegionRounding(f, start: Array(start.dropLast())).plan(columns: columns, relaxation: start, passes: 1, deadline: nil) == nil)
        start[0] = 0.5
        #expect(StartingPlan.RegionRounding(f, start: start).plan(columns: columns, relaxation: start, passes: 1, deadline: nil) == nil)
    }
}

/// The local search's "don't look" marks skip a lead handover or a two-adviser emptying only while nothing
/// near its advisers has changed since it last failed.
@Suite struct DontLookMarksTests {
    /// A search that stops because a pass improved nothing has tried every move that could help: a further
    /// pass, in which every move is tried again (`improve` forgets the marks), finds nothing either. Marks
    /// that missed a change would have skipped a move that now succeeds.
    @Test(arguments: [(120, 18, 2), (200, 30, 1), (200, 30, 3)] as [(Int, Int, UInt64)])
    func aConvergedSearchFindsNothingMoreWhenEveryMoveIsTriedAgain(size: (schools: Int, advisers: Int, seed: UInt64)) throws {
        let f = AllocationFormulation(scenario: try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: size.seed))
        var search = try ImprovedInHalvesTests.greedy(f)
        search.improve(passes: 100)
        let converged = search.objectiveValue, plan = search.values
        search.improve(passes: 1)
        #expect(search.objectiveValue == converged)
        #expect(Self.differingColumns(search.values, plan) == 0)
    }

    /// Columns where two plans differ: counted, not compared whole, since a plan of a thousand columns would
    /// fill the failure message.
    static func differingColumns(_ a: [Double], _ b: [Double]) -> Int {
        zip(a, b).filter { $0 != $1 }.count
    }

    /// Filling only takes room, so a refill that keeps nothing out leaves nothing a second refill could add:
    /// `attempt` refills once after a move that keeps nothing out. Checked after the greedy plan and after
    /// each of several advisers' work is taken out and refilled.
    @Test(arguments: [(120, 18, 2), (200, 30, 1), (430, 65, 3)] as [(Int, Int, UInt64)])
    func aSecondRefillAddsNothing(size: (schools: Int, advisers: Int, seed: UInt64)) throws {
        let f = AllocationFormulation(scenario: try ScenarioGenerator.generate(schools: size.schools, advisers: size.advisers, seed: size.seed))
        var search = try ImprovedInHalvesTests.greedy(f)
        var refilled = 0
        for adviser in [-1] + Array(stride(from: 0, to: size.advisers, by: 3)) {
            if adviser >= 0 {
                let emptied = f.candidates.enumerated().compactMap { c, candidate -> (candidate: Int, delta: Int)? in
                    let units = Int(search.values[candidate.column].rounded())
                    return candidate.adviser == adviser && units > 0 ? (c, -units) : nil
                }
                guard !emptied.isEmpty, search.tryApply(units: emptied, leads: []) else { continue }
                search.refill(forbiddenCandidate: -1, forbiddenPair: -1)
            }
            let once = search.values, objective = search.objectiveValue
            search.refill(forbiddenCandidate: -1, forbiddenPair: -1)
            #expect(search.objectiveValue == objective, "adviser \(adviser)")
            #expect(Self.differingColumns(search.values, once) == 0, "adviser \(adviser)")
            refilled += 1
        }
        #expect(refilled > size.advisers / 6)
    }

    @Test func indexListsKeepEachOwnersItemsInTheOrderGiven() {
        let lists = IndexLists(owners: 4, [(2, 7), (0, 5), (2, 1), (0, 9), (2, 3)])
        #expect(lists.count == 4)
        #expect(Array(lists[0]) == [5, 9])
        #expect(Array(lists[1]).isEmpty)
        #expect(Array(lists[2]) == [7, 1, 3])
        #expect(Array(lists[3]).isEmpty)
        #expect(Array(lists[2].dropFirst(1)) == [1, 3])
    }

    @Test func indexListsMadeOwnerByOwnerHoldEachOwnersList() {
        var asked: [Int] = []
        let lists = IndexLists(owners: 3) { owner in
            asked.append(owner)
            return owner == 1 ? [] : [owner * 10 + 2, owner * 10 + 1]
        }
        #expect(asked == [0, 1, 2])
        #expect(lists.count == 3)
        #expect(Array(lists[0]) == [2, 1])
        #expect(Array(lists[1]).isEmpty)
        #expect(Array(lists[2]) == [22, 21])
        #expect(lists[2].first == 22)
    }
}

/// The heuristic's share of a time limit: half of what is left where GLPK takes the largest block, nine tenths
/// less the bound's reserve where it does not, and a tenth (at least 30 s, or a quarter under 120 s) where that block will take its plan
/// from its relaxation by the interior point (a national block of 534,227 columns with half the time covering
/// the method's 87 s), since that plan soon replaces the heuristic's.
@Test func theHeuristicGetsATenthWhereTheLargeBlockRoundsItsInteriorPoint() {
    let options = AllocationOptions()
    func seconds(_ left: Double, block: Int, heuristicOnly: Bool = true, reserve: Double = 20) -> Double {
        AllocationSolver.heuristicSeconds(left: left, boundReserve: reserve, largestBlock: block, heuristicOnly: heuristicOnly, options: options)
    }
    #expect(seconds(100, block: 16_000, heuristicOnly: false) == 50)
    #expect(abs(seconds(589, block: 534_227) - 58.9) < 1e-9)
    #expect(abs(seconds(299, block: 534_227) - 30) < 1e-9)  // at least 30 s
    #expect(abs(seconds(589, block: 534_227, heuristicOnly: false) - 294.5) < 1e-9)
    // 60 s would not cover the method: the heuristic's plan stays the block's start, and it keeps its share.
    #expect(abs(seconds(119, block: 534_227) - 0.9 * 99) < 1e-9)
    // Beyond the neighbourhood search (the unrestricted national's block of 3.1 million columns), the same.
    #expect(abs(seconds(589, block: 3_147_472) - 0.9 * 569) < 1e-9)
    // 5,000 x 700's block of 107,255 columns: its method's 9.2 s fit in half of 120 s; its heuristic, which
    // settles in 12-17 s, keeps 30 s.
    #expect(abs(seconds(120, block: 107_255) - 30) < 1e-9)
    // Under 120 s a quarter, not 30 s: at 59 s 14.75 s (the method's 9.2 s fit in 29.5), at 39 s 9.75 s.
    #expect(abs(seconds(59, block: 107_255) - 14.75) < 1e-9)
    #expect(abs(seconds(39, block: 107_255) - 9.75) < 1e-9)
    // At 18 s half the time does not cover the method: the heuristic keeps nine tenths of what the bound leaves.
    #expect(abs(seconds(18, block: 107_255, reserve: 5) - 0.9 * 13) < 1e-9)
    #expect(seconds(20, block: 107_255) == 0)  // nothing left beside the bound's reserve
    // A plan that fills the budget has the model solved as one. The national's 699,799 columns are beyond the
    // neighbourhood search's size: the heuristic goes on for nine tenths of what the bound leaves. 5,000 x
    // 700's 132,185 are within it: the same 30 s as its block's.
    func whole(_ left: Double, columns: Int) -> Double {
        AllocationSolver.wholeModelHeuristicSeconds(left: left, boundReserve: 20, columns: columns, options: options)
    }
    #expect(abs(whole(299, columns: 699_799) - 0.9 * 279) < 1e-9)
    #expect(abs(seconds(299, block: 534_227) - 30) < 1e-9)
    #expect(abs(whole(120, columns: 132_185) - 30) < 1e-9)
    #expect(whole(100, columns: 80_000) == 50)  // small enough for the tree: half, as any such model
}
