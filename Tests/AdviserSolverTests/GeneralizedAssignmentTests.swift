import Foundation
import GLPK
import Testing
@testable import AdviserSolver

/// OR-Library instances through the same assignment core and GLPK path as the allocation.
@Suite struct GeneralizedAssignmentTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gap1.txt")

    @Test func gap1ReachesEveryPublishedOptimumBothWays() throws {
        let instances = try GeneralizedAssignmentInstance.parseFile(try String(contentsOf: Self.fixture, encoding: .utf8), name: "gap1.txt")
        #expect(instances.count == 5)
        #expect(instances.allSatisfy { $0.agents == 5 && $0.jobs == 15 })
        let maxima: [Double] = [336, 327, 339, 341, 326]
        let minima: [Double] = [261, 269, 256, 274, 251]
        for (i, instance) in instances.enumerated() {
            let best = try instance.solve(direction: .maximize)
            #expect(best.status == .optimal)
            #expect(best.objective == maxima[i], "instance \(i + 1)")
            let cheapest = try instance.solve(direction: .minimize)
            #expect(cheapest.status == .optimal)
            #expect(cheapest.objective == minima[i], "instance \(i + 1)")
            // Every job to exactly one agent, within capacity.
            let model = instance.model(direction: .maximize)
            var load = [Double](repeating: 0, count: instance.agents)
            var jobs = [Int](repeating: 0, count: instance.jobs)
            for (c, column) in model.columns.enumerated() where best.columnValues[c] > 0.5 {
                let parts = column.name.split(separator: "_").compactMap { Int($0) }
                load[parts[0] - 1] += instance.resource[parts[0] - 1][parts[1] - 1]
                jobs[parts[1] - 1] += 1
            }
            #expect(jobs.allSatisfy { $0 == 1 })
            #expect(zip(load, instance.capacity).allSatisfy { $0 <= $1 })
        }
    }

    @Test func malformedFilesAreReportedNotCrashed() {
        #expect(throws: GeneralizedAssignmentInstance.ParseError.malformed("bad.txt: the file ends early (token 4)")) {
            try GeneralizedAssignmentInstance.parseFile("1 2 3", name: "bad.txt")
        }
        #expect(throws: GeneralizedAssignmentInstance.ParseError.malformed("bad.txt: token 2 `x` is not a number")) {
            try GeneralizedAssignmentInstance.parseFile("1 x", name: "bad.txt")
        }
        #expect(throws: GeneralizedAssignmentInstance.ParseError.malformed("bad.txt: token 1 should be a positive count, found -1.0")) {
            try GeneralizedAssignmentInstance.parseFile("-1", name: "bad.txt")
        }
    }
}
