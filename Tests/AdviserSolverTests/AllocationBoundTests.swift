import AdviserModel
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
}
