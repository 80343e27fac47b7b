import AdviserModel
import Foundation
import Testing
@testable import AdviserSolver

/// The bundled scenarios solve to plans that keep every hard rule.
@Suite struct BundledScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(directory: root.appendingPathComponent("scenarios/\(name)").path)
    }

    @Test func sixSchoolTrustIsSolvedToProvenOptimality() throws {
        let scenario = try Self.load("six-school-trust")
        let plan = try AllocationSolver.solve(scenario).plan
        #expect(plan.status == .optimal)
        #expect(PlanChecker.check(plan, against: scenario) == [])
        // Every head leads exactly one school, and nobody advises their own school.
        #expect(plan.assignments.filter { $0.role == .lead }.count == 6)
        for a in plan.assignments {
            #expect(scenario.adviser(a.adviser)!.homeSchool != a.school)
        }
        // Solving twice gives the same plan file, byte for byte.
        #expect(try AllocationSolver.solve(scenario).plan.jsonData() == plan.jsonData())
    }

    @Test(arguments: ["aspire-hub", "knowsley-pathways"])
    func largerScenariosGiveValidPlans(name: String) throws {
        let scenario = try Self.load(name)
        // Validity does not depend on how far the search gets; a node limit keeps this quick and deterministic.
        let plan = try AllocationSolver.solve(scenario, options: AllocationOptions(nodeLimit: 200)).plan
        #expect(PlanChecker.check(plan, against: scenario) == [])
        #expect(plan.assignments.filter { $0.role == .lead }.count == scenario.schools.count)
        let covered = plan.assignments.reduce(0) { $0 + $1.days.values.reduce(0, +) }
        #expect(abs(covered + plan.unmetDays - scenario.needs.reduce(0) { $0 + $1.days }) < 1e-6)
    }
}
