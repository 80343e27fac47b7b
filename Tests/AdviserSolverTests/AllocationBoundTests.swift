import AdviserModel
import GLPK
import Testing
@testable import AdviserSolver

/// `AllocationBound` decides each school whole: a pairing is open or not, and an open one costs a whole
/// school place. Priced need by need (a pairing taking its load's share of a place, the LP's view), one
/// adviser with room for one school could take the urgent need of two schools, half a place each.
@Suite struct AllocationBoundTests {
    /// One adviser, one school place, two schools each with an urgent and a minor need: the best plan
    /// serves one school whole and leaves the other's two needs unmet.
    static func onePlaceTwoSchools(requireLead: Bool) -> Scenario {
        var b = ScenarioBuilder()
        b.rules.requireLead = requireLead
        b.school("S1")
        b.school("S2")
        b.adviser("A1", ["literacy": 2, "maths": 2], capacity: 20, maxSchools: 1)
        // With leads each school needs its own lead: a second adviser who may lead but has little to give.
        if requireLead { b.adviser("A2", ["maths": 1], capacity: 20, maxSchools: 2) }
        for s in ["S1", "S2"] {
            b.need(s, "literacy", days: 2, priority: 3)
            b.need(s, "maths", days: 2, priority: 1)
        }
        return b.scenario
    }

    @Test(arguments: [false, true])
    func boundMeetsTheOptimumWhenWholePairingsDecide(requireLead: Bool) throws {
        let scenario = Self.onePlaceTwoSchools(requireLead: requireLead)
        let plan = try AllocationSolver.solve(scenario).plan
        #expect(plan.status == .optimal)
        let optimum = try #require(plan.objective)
        let bound = try #require(AllocationBound(AllocationFormulation(scenario: scenario)).bound(incumbent: optimum, direction: 1, passes: 2_000))
        #expect(bound >= optimum - 1e-6 * abs(optimum), "a bound below the optimum: \(bound) < \(optimum)")
        // Half a place per urgent need would cover both schools' literacy: 2 priority-weighted need-days x
        // 2 x the unmet penalty above the optimum. Whole pairings leave no such room.
        #expect(bound - optimum <= 1, "bound \(bound), optimum \(optimum)")
    }

    /// A budget that binds is priced too: the bound stays above the optimum with the budget and falls below
    /// the optimum without it, which no bound that ignores the budget can do (before its price, a generated
    /// 5,000 x 700 with a budget cut to two thirds had a gap of 79%; with it, 6.8%).
    @Test func aBudgetThatBindsIsPriced() throws {
        var scenario = try ScenarioGenerator.generate(schools: 30, advisers: 5, seed: 2)
        let table = EligibilityTable(scenario: scenario)
        let leads = try #require(table.cheapestLeadsCost(among: table.eligiblePairs()))
        // Plans at a node limit: each is at most its optimum, so a bound above the first and below the second
        // is valid where it can be checked and tighter than the optimum without the budget.
        let options = AllocationOptions(nodeLimit: 200)
        scenario.programme.budget = nil
        let unlimited = try #require(try AllocationSolver.solve(scenario, options: options).plan.objective)
        scenario.programme.budget = (leads * 1.2).rounded()
        let limited = try #require(try AllocationSolver.solve(scenario, options: options).plan.objective)
        let bound = try #require(AllocationBound(AllocationFormulation(scenario: scenario)).bound(incumbent: limited, direction: 1, passes: 3_000))
        #expect(bound >= limited - 1e-6 * abs(limited), "a bound below a plan: \(bound) < \(limited)")
        #expect(bound < unlimited, "bound \(bound), plan \(limited), plan without the budget \(unlimited)")
    }

    /// Two regions that share no adviser, and a need nobody may serve (a block of its own in the model, though
    /// its school is decided whole with the rest of its needs).
    static func twoRegions() -> Scenario {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        for s in ["S1", "S2", "S3", "S4"] { b.school(s) }
        b.adviser("A1", ["literacy": 2], capacity: 5, maxSchools: 1)
        b.adviser("A2", ["maths": 2], capacity: 3, maxSchools: 2)
        b.need("S1", "literacy", days: 3, priority: 3)
        b.need("S2", "literacy", days: 2, priority: 2)
        b.need("S3", "maths", days: 2, priority: 3)
        b.need("S4", "maths", days: 2, priority: 1)
        b.need("S1", "science", days: 1, priority: 2)
        return b.scenario
    }

    /// At its prices the bound's choice of pairings is a plan of the relaxation, whole pairing by pairing: in
    /// two regions with one best plan each it opens exactly the optimum's pairings.
    @Test func thePricedPairingsAreTheOptimumWhereItIsClear() throws {
        let formulation = AllocationFormulation(scenario: Self.twoRegions())
        let solution = try GLPKSolver.solveByBlocks(formulation.model, linkingRows: [])
        #expect(solution.status == .optimal)
        let bound = AllocationBound(formulation)
        let search = try #require(bound.search(incumbent: solution.objective!, direction: 1, passes: 300))
        let optimumPairings = formulation.pairs.map(\.assigned).filter { solution.columnValues[$0] > 0.5 }
        #expect(optimumPairings.count == 2)
        #expect(bound.pricedPairings(at: search) == optimumPairings)
    }

    /// Without a lead to tie them, a school's two needs go to advisers of two regions: its value, one number in
    /// the priced bound, belongs to neither region alone, so the bound is not split.
    @Test func aSchoolAcrossTwoRegionsKeepsTheBoundWhole() throws {
        var b = ScenarioBuilder()
        b.rules.requireLead = false
        b.school("S1")
        b.school("S2")
        b.adviser("A1", ["literacy": 2], capacity: 5, maxSchools: 2)
        b.adviser("A2", ["maths": 2], capacity: 5, maxSchools: 2)
        b.need("S1", "literacy", days: 2, priority: 3)
        b.need("S1", "maths", days: 2, priority: 3)
        b.need("S2", "maths", days: 2, priority: 1)
        let formulation = AllocationFormulation(scenario: b.scenario)
        let solution = try GLPKSolver.solveByBlocks(formulation.model, linkingRows: formulation.budgetRow.map { [$0] } ?? [])
        let blocks = try #require(solution.blockBounds)
        #expect(blocks.count == 2)
        let bound = AllocationBound(formulation)
        let search = try #require(bound.search(incumbent: solution.objective!, direction: 1, passes: 300))
        let combined = bound.bound(search, byBlock: blocks, columns: formulation.model.columns.count)
        #expect(combined == search.bound)
        #expect(combined >= solution.objective! - 1e-6)
    }

    /// The priced bound falls apart by region: its parts add up to it, each region's share bounds that region
    /// alone (at least its optimum), and taken region by region with the regions' proven bounds it is the optimum.
    @Test func theBoundFallsApartByRegion() throws {
        let formulation = AllocationFormulation(scenario: Self.twoRegions())
        let model = formulation.model
        let solution = try GLPKSolver.solveByBlocks(model, linkingRows: formulation.budgetRow.map { [$0] } ?? [])
        #expect(solution.status == .optimal)
        let optimum = try #require(solution.objective)
        let blocks = try #require(solution.blockBounds)
        // The two regions and the science need.
        #expect(blocks.count == 3)
        let bound = AllocationBound(formulation)
        let search = try #require(bound.search(incumbent: optimum, direction: 1, passes: 300))
        let (parts, unplaced, constant) = bound.shares(at: search)
        #expect(abs(parts.reduce(0) { $0 + $1.value } + unplaced + constant - search.bound) < 1e-6)
        var shares = blocks.map { block in parts.filter { block.columns.contains($0.column) }.reduce(0) { $0 + $1.value } }
        shares[0] += constant
        for (block, share) in zip(blocks, shares) {
            #expect(share >= block.bound! - 1e-6, "a share below its region's optimum: \(share) < \(block.bound!)")
        }
        #expect(abs(bound.bound(search, byBlock: blocks, columns: model.columns.count) - optimum) < 1e-6)
        // A region with no bound of its own counts its share.
        var unbounded = blocks
        unbounded[1].bound = nil
        #expect(abs(bound.bound(search, byBlock: unbounded, columns: model.columns.count) - (optimum - blocks[1].bound! + shares[1])) < 1e-6)
    }
}

/// Without a time limit the bound's search beside the heuristic makes a fixed number of passes, aimed at the
/// heuristic's first plan alone, and `finish` waits for them: the bound is the same in every run, however
/// soon the heuristic ends and whatever better plans it finds meanwhile. (Under a time limit `finish` ends it
/// at once and a better plan moves its aim.)
@Test func theBoundBesideAnUntimedHeuristicIsTheSameInEveryRun() throws {
    let formulation = AllocationFormulation(scenario: try BundledScenarioTests.load("knowsley-pathways"))
    let start = try #require(StartingPlan.build(formulation, deadline: .now))
    let objective = formulation.model.objectiveValue(start)
    let alone = try #require(AllocationBound(formulation).search(incumbent: objective, direction: 1, passes: 3_000))
    let beside = BoundBesideHeuristic()
    beside.start(formulation, incumbent: objective, deadline: nil, passes: 3_000, shouldStop: nil)
    beside.improved(to: objective + 5_000)
    let outcome = try #require(beside.finish()?.search)
    #expect(outcome.passes == alone.passes && outcome.bound == alone.bound, "beside \(outcome.passes) passes, \(outcome.bound); alone \(alone.passes), \(alone.bound)")
}
