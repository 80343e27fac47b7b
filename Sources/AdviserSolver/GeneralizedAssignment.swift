import AdviserModel
import Foundation
import GLPK

/// A generalized assignment problem (OR-Library format): every job goes to exactly one agent; agent i's
/// jobs use at most b[i] of its resource. It is the adviser allocation with agent-dependent resource use,
/// solved through the same assignment core and GLPK path, and checked against published optima.
public struct GeneralizedAssignmentInstance: Sendable, Equatable {
    public var agents: Int
    public var jobs: Int
    /// value[i][j]: profit (maximise) or cost (minimise) of giving job j to agent i.
    public var value: [[Double]]
    /// resource[i][j]: what job j uses of agent i.
    public var resource: [[Double]]
    public var capacity: [Double]

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        public var description: String {
            switch self { case .malformed(let m): return m }
        }
    }

    /// Reads every instance of an OR-Library gap file (one whitespace-separated token stream).
    public static func parseFile(_ text: String, name: String) throws -> [GeneralizedAssignmentInstance] {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).makeIterator()
        var position = 0
        func next() throws -> Double {
            position += 1
            guard let token = tokens.next() else { throw ParseError.malformed("\(name): the file ends early (token \(position))") }
            guard let value = Double(token), value.isFinite else { throw ParseError.malformed("\(name): token \(position) `\(token)` is not a number") }
            return value
        }
        func count() throws -> Int {
            let v = try next()
            guard v == v.rounded(), v >= 1, v <= 100_000 else { throw ParseError.malformed("\(name): token \(position) should be a positive count, found \(v)") }
            return Int(v)
        }
        let p = try count()
        var instances: [GeneralizedAssignmentInstance] = []
        for _ in 0..<p {
            let m = try count(), n = try count()
            var c = [[Double]](), a = [[Double]]()
            for _ in 0..<m { c.append(try (0..<n).map { _ in try next() }) }
            for _ in 0..<m { a.append(try (0..<n).map { _ in try next() }) }
            let b = try (0..<m).map { _ in try next() }
            instances.append(GeneralizedAssignmentInstance(agents: m, jobs: n, value: c, resource: a, capacity: b))
        }
        return instances
    }

    public func model(direction: OptimizationDirection) -> LinearModel {
        var builder = ModelBuilder(name: "gap", direction: direction)
        var candidates: [AssignmentCore.Candidate] = []
        for i in 0..<agents {
            for j in 0..<jobs where resource[i][j] <= capacity[i] {
                candidates.append(.init(agent: i, job: j, maxUnits: 1, resourcePerUnit: resource[i][j], valuePerUnit: value[i][j],
                                        name: "x_\(i + 1)_\(j + 1)"))
            }
        }
        _ = AssignmentCore(builder: &builder, jobNames: (1...jobs).map { "job\($0)" }, demands: Array(repeating: 1, count: jobs), agentNames: (1...agents).map { "agent\($0)" },
                           capacities: capacity, candidates: candidates, unmetObjective: nil)
        return builder.model
    }

    public func solve(direction: OptimizationDirection, options: SolveOptions = SolveOptions()) throws -> Solution {
        try GLPKSolver.solve(model(direction: direction), options: options)
    }
}
