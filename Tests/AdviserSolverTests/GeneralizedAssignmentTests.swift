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
        func refusal(_ text: String) -> String? {
            do { _ = try GeneralizedAssignmentInstance.parseFile(text, name: "bad.txt"); return nil } catch { return "\(error)" }
        }
        #expect(refusal("1 2 3") == "bad.txt:1:6: the file ends before instance 1's value of agent 1, job 1")
        #expect(refusal("1 x") == "bad.txt:1:3: `x` should be instance 1's number of agents, a whole number from 1 to 100,000")
        #expect(refusal("-1") == "bad.txt:1:1: `-1` should be the number of instances, a whole number from 1 to 100,000")
        // Second line, third number: a resource below zero; then one too large for GLPK's tolerances.
        #expect(refusal("1\n1 2\n5 6\n1 -2\n9") == "bad.txt:4:3: `-2` should be instance 1's resource of agent 1, job 2, at least 0")
        #expect(refusal("1\n1 2\n5 6\n1 2\n1e20") == "bad.txt:5:1: `1e20` should be instance 1's capacity of agent 1, a number up to 10^9")
        #expect(refusal("1\n1 2\n5 6\n1 2\n9") == nil)
    }
}
