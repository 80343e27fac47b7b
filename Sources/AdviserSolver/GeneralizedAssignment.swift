import AdviserModel
import Foundation
import GLPK

/// The best plan of searches running side by side, and whether one of them finished the job.
private final class SharedPlan: @unchecked Sendable {
    private let lock = NSLock()
    private var plan: [Int]
    private var cost: Double
    private var done = false
    private var optimal = false

    init(_ plan: [Int], cost: Double) { self.plan = plan; self.cost = cost }

    var current: (plan: [Int], cost: Double) { lock.withLock { (plan, cost) } }
    var finished: Bool { lock.withLock { done } }
    /// A search proved the current plan optimal.
    var proven: Bool { lock.withLock { optimal } }

    func offer(_ plan: [Int], cost: Double) {
        lock.withLock { if cost < self.cost { self.plan = plan; self.cost = cost } }
    }

    func finish(proven: Bool = false) { lock.withLock { done = true; optimal = optimal || proven } }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}

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

    /// Reads every instance of an OR-Library gap file (one whitespace-separated stream of numbers: the
    /// instance count, then per instance m, n, the m x n values, the m x n resources and the m capacities).
    /// Errors give `name:line:column` and what the number should have been.
    public static func parseFile(_ text: String, name: String) throws -> [GeneralizedAssignmentInstance] {
        var reader = NumberReader(text: text, name: name)
        let p = try reader.count("the number of instances")
        var instances: [GeneralizedAssignmentInstance] = []
        for k in 1...p {
            let m = try reader.count("instance \(k)'s number of agents"), n = try reader.count("instance \(k)'s number of jobs")
            var c = [[Double]](), a = [[Double]]()
            for i in 1...m { c.append(try (1...n).map { j in try reader.number("instance \(k)'s value of agent \(i), job \(j)") }) }
            for i in 1...m {
                a.append(try (1...n).map { j in try reader.number("instance \(k)'s resource of agent \(i), job \(j)", atLeast: 0) })
            }
            let b = try (1...m).map { i in try reader.number("instance \(k)'s capacity of agent \(i)", atLeast: 0) }
            instances.append(GeneralizedAssignmentInstance(agents: m, jobs: n, value: c, resource: a, capacity: b))
        }
        return instances
    }

    /// Numbers one by one from whitespace-separated text; a problem's message says where and what was expected.
    private struct NumberReader {
        let bytes: [UInt8], name: String
        var offset = 0

        init(text: String, name: String) { bytes = Array(text.utf8); self.name = name }

        /// Figures beyond this are not an OR-Library instance and would defeat GLPK's tolerances.
        static let largest = 1e9

        /// `name:line:column` of the byte at `offset`: worked out only for a message, since an instance file
        /// has up to 10^5 numbers and reads without one.
        func place(_ offset: Int) -> String {
            let (line, column) = lineAndColumn(ofByte: offset, in: bytes)
            return "\(name):\(line):\(column)"
        }

        /// The next number, with where it starts and its text; `what` names it when there is none or it is
        /// not a number.
        mutating func read(_ what: @autoclosure () -> String, expecting: String) throws -> (value: Double, start: Int, token: String) {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
            let start = offset
            while offset < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
            guard start < bytes.count else { throw ParseError.malformed("\(place(start)): the file ends before \(what())") }
            let token = String(decoding: bytes[start..<offset], as: UTF8.self)
            guard let value = Double(token), value.isFinite, abs(value) <= NumberReader.largest else {
                throw ParseError.malformed("\(place(start)): `\(token)` should be \(what()), \(expecting)")
            }
            return (value, start, token)
        }

        mutating func number(_ what: @autoclosure () -> String, atLeast lowest: Double? = nil) throws -> Double {
            let (value, start, token) = try read(what(), expecting: "a number up to 10^9")
            if let lowest, value < lowest { throw ParseError.malformed("\(place(start)): `\(token)` should be \(what()), at least \(Int(lowest))") }
            return value
        }

        mutating func count(_ what: @autoclosure () -> String) throws -> Int {
            let expecting = "a whole number from 1 to 100,000"
            let (value, start, token) = try read(what(), expecting: expecting)
            guard value == value.rounded(), value >= 1, value <= 100_000 else {
                throw ParseError.malformed("\(place(start)): `\(token)` should be \(what()), \(expecting)")
            }
            return Int(value)
        }
    }

    public func model(direction: OptimizationDirection) -> LinearModel { formulation(direction: direction).model }

    /// The model and the column of each (agent, job) pair that fits the agent's capacity and is not
    /// `excluded[i * jobs + j]`. Rows are the same whatever is excluded.
    func formulation(direction: OptimizationDirection, excluded: [Bool]? = nil) -> (model: LinearModel, column: [[Int?]]) {
        var builder = ModelBuilder(name: "gap", direction: direction)
        var candidates: [AssignmentCore.Candidate] = []
        var pairs: [(agent: Int, job: Int)] = []
        for i in 0..<agents {
            for j in 0..<jobs where resource[i][j] <= capacity[i] && excluded?[i * jobs + j] != true {
                candidates.append(.init(agent: i, job: j, maxUnits: 1, resourcePerUnit: resource[i][j], valuePerUnit: value[i][j],
                                        name: "x_\(i + 1)_\(j + 1)"))
                pairs.append((i, j))
            }
        }
        let core = AssignmentCore(builder: &builder, jobNames: (1...jobs).map { "job\($0)" }, demands: Array(repeating: 1, count: jobs), agentNames: (1...agents).map { "agent\($0)" },
                                  capacities: capacity, candidates: candidates, unmetObjective: nil)
        var column = [[Int?]](repeating: Array(repeating: nil, count: jobs), count: agents)
        for (c, pair) in pairs.enumerated() { column[pair.agent][pair.job] = core.candidateColumns[c] }
        return (builder.model, column)
    }

    /// Solves with a greedy start improved by tabu search and neighbourhood search (one group per agent) beside
    /// or before branch-and-bound, unless `options` already carries a start or a search, with lifted cover cuts on
    /// the agents' capacity rows and pseudocost branching (whatever `options` says of either).
    ///
    /// When the agents' knapsacks can be solved exactly (whole-number resources), the Lagrangian bound comes
    /// first, and for up to 60% of any time limit a tabu search and a branch-and-bound on that bound
    /// (`AssignmentLagrangianSearch`) work from the greedy plan, side by side on two cores (on one, in turn),
    /// sharing the best plan. Either may prove it optimal. Otherwise GLPK's tree and the
    /// neighbourhood search go on with the rest of the time, on the pairs that a plan better than the best
    /// known can still use (gapb-4: 286 of 2,000).
    /// - Parameter searchBesideTree: run the searches on a second core beside the tree (else one after another).
    public func solve(direction: OptimizationDirection, options: SolveOptions = SolveOptions(), searchBesideTree: Bool = true) throws -> Solution {
        let began = ContinuousClock.now
        guard options.startingSolution == nil, options.neighbourhoodSearch == nil,
              let start = greedyAssignment(direction: direction),
              let lagrangian = lagrangian(direction: direction) else {
            return try solveByTree(direction: direction, options: options, searchBesideTree: searchBesideTree)
        }
        let sign: Double = direction == .minimize ? 1 : -1
        let tabu = tabuSearch(direction: direction)
        let limit = options.timeLimitSeconds.flatMap { $0 < 1e9 ? $0 : nil }
        func deadline(_ share: Double) -> ContinuousClock.Instant? {
            limit.map { began + .milliseconds(Int64($0 * share * 1000)) }
        }
        let integral = (0..<agents).allSatisfy { i in value[i].allSatisfy { $0 == $0.rounded() } }
        let exact = AssignmentLagrangianSearch(relaxation: lagrangian, integralCosts: integral)
        let (full, fullColumn) = formulation(direction: direction)
        func optimal(_ plan: [Int], log: String) -> Solution {
            let values = Self.columnValues(plan, column: fullColumn, count: full.columns.count)
            let objective = full.objectiveValue(values)
            return Solution(status: .optimal, objective: objective, bestBound: objective, gap: 0, columnValues: values,
                            rowValues: full.rowActivities(values), seconds: seconds(since: began), log: log)
        }

        let dual = lagrangian.dual(target: tabu.totalCost(start), deadline: deadline(0.1), shouldStop: options.shouldStop)
        var log = String(format: "Lagrangian bound %.6g after %d steps (%.2f s).\n", sign * dual.bound, dual.iterations,
                         seconds(since: began))
        let best = SharedPlan(start, cost: tabu.totalCost(start))
        let userStop = options.shouldStop
        let stop: @Sendable () -> Bool = { best.finished || userStop?() == true }
        // `again`: restart from the best plan with a new seed until `until`; `stall`: steps without a better plan per run.
        let runTabu: @Sendable (ContinuousClock.Instant?, Bool, Int) -> String = { until, again, stall in
            var seed: UInt64 = 1, steps = 0, runs = 0
            repeat {
                let from = best.current
                let outcome = tabu.improve(from.plan, iterations: 1_000 * jobs, stall: stall, seed: seed, deadline: until, shouldStop: stop) { plan in
                    let cost = tabu.totalCost(plan)
                    best.offer(plan, cost: cost)
                    if exact.proves(dual.bound, cost) { best.finish() }
                }
                steps += outcome.iterations
                runs += 1
                seed += 1
            } while again && until.map({ ContinuousClock.now < $0 }) == true && !stop()
            return "Tabu search: \(runs) runs, \(steps) steps.\n"
        }
        let runExact: @Sendable (ContinuousClock.Instant?) -> String = { until in
            let from = best.current
            var excluded = lagrangian.excludedPairs(dual, worst: exact.worst(from.cost))
            for (j, i) in from.plan.enumerated() { excluded[i * jobs + j] = false }
            let outcome = exact.run(incumbent: from.plan, cost: from.cost, excluded: excluded, multipliers: dual.multipliers,
                                    deadline: until, shouldStop: stop, incoming: { best.current },
                                    found: { plan in best.offer(plan, cost: tabu.totalCost(plan)) })
            if outcome.proven { best.offer(outcome.plan, cost: outcome.cost); best.finish(proven: true) }
            return "Lagrangian branch-and-bound: \(outcome.nodes) nodes, \(outcome.proven ? "proved the best plan optimal" : "stopped").\n"
        }
        if exact.proves(dual.bound, best.current.cost) {
            best.finish()
        } else if searchBesideTree {
            let exactLog = ResultBox<String>()
            let until = deadline(0.6)
            let thread = Thread { exactLog.value = runExact(until); exactLog.done.signal() }
            thread.stackSize = 16 << 20
            thread.start()
            log += runTabu(deadline(0.6), true, 200 * jobs)
            exactLog.done.wait()
            log += exactLog.value ?? ""
        } else {
            // One core: the branch-and-bound first, briefly (what it proves at once needs no tabu search), then
            // the tabu search, then the branch-and-bound again from the better plan. Single-threaded at 60 s against
            // the tabu search to 30% (to 10%) then the branch-and-bound: gapb-4 proven in 19.5 s (7.4 s) -> 2.6 s,
            // gapc-4 18.6 s (6.6 s) -> 3.1 s, gapc-6 18.3 s (7.5 s) -> 2.1 s, gapb-1 6.2 s -> 0.9 s; gapd-6 12331
            // (12283) -> 12306, gapd-5 6195-6220 whichever.
            log += runExact(deadline(0.1))
            if !stop() { log += runTabu(deadline(0.2), false, 20 * jobs) }
            if !stop() { log += runExact(deadline(0.6)) }
        }
        let incumbent = best.current
        log += String(format: "Best plan %.6g (%.2f s).\n", sign * incumbent.cost, seconds(since: began))
        if best.proven || exact.proves(dual.bound, incumbent.cost) { return optimal(incumbent.plan, log: log + "Optimal.\n") }

        // Pairs no better plan can use are left out; the incumbent's own stay, so it is still a plan.
        var excluded = lagrangian.excludedPairs(dual, worst: exact.worst(incumbent.cost))
        for (j, i) in incumbent.plan.enumerated() { excluded[i * jobs + j] = false }
        let (reduced, column) = formulation(direction: direction, excluded: excluded)
        log += "Pairs left for branch-and-bound: \(reduced.columns.count) of \(full.columns.count).\n"
        var rest = options
        rest.startingSolution = Self.columnValues(incumbent.plan, column: column, count: reduced.columns.count)
        if let limit { rest.timeLimitSeconds = max(0.001, limit - seconds(since: began)) }
        var solution = try solveByTree(direction: direction, options: rest, searchBesideTree: searchBesideTree,
                                       formulated: (reduced, column), excluded: excluded)
        // Back to the full model's columns (the rows are the same).
        if !solution.columnValues.isEmpty {
            let agentOfJob = Self.agentOfJob(solution.columnValues, column: column)
            solution.columnValues = Self.columnValues(agentOfJob, column: fullColumn, count: full.columns.count)
        }
        // Every plan better than the incumbent is in the reduced model, so its bound holds for the full one,
        // and so does the Lagrangian bound.
        if solution.status == .feasible, let objective = solution.objective, exact.proves(dual.bound, sign * objective) {
            solution.status = .optimal
            solution.bestBound = objective
            solution.gap = 0
        } else {
            solution.keepTightestBound(of: [solution.bestBound, sign * dual.bound], direction: direction)
        }
        solution.log = log + solution.log
        solution.seconds = seconds(since: began)
        return solution
    }

    /// Branch-and-bound with the neighbourhood and tabu searches, on `formulated` (the whole model by default).
    private func solveByTree(direction: OptimizationDirection, options: SolveOptions, searchBesideTree: Bool,
                             formulated: (model: LinearModel, column: [[Int?]])? = nil, excluded: [Bool]? = nil) throws -> Solution {
        let (model, column) = formulated ?? formulation(direction: direction)
        var options = options
        options.cuts.liftedCovers = true
        // Measured at 60 s per instance against Driebeck-Tomlin: three times the nodes, gap1-gap12 9.4 s ->
        // 8.1 s, gapb-4 2832 -> 2827, gapd-3 6429 -> 6382, gapd-4 12518 -> 12468.
        options.branching = .pseudocost
        if options.startingSolution == nil, let agentOfJob = greedyAssignment(direction: direction) {
            options.startingSolution = Self.columnValues(agentOfJob, column: column, count: model.columns.count)
        }
        if options.neighbourhoodSearch == nil {
            // Two ways to move: among a few agents (all their jobs), and a few jobs among all agents.
            let byAgent = column.map { $0.compactMap { $0 } }
            let byJob = (0..<jobs).map { j in (0..<agents).compactMap { column[$0][j] } }
            var search = NeighbourhoodSearch(groupings: [byAgent, byJob], rounds: 100_000)
            search.concurrent = searchBesideTree
            // The tree's own cuts and branching in every round: at 60 s per instance, gapd-3 6382 -> 6371 and
            // gapd-5 6305 -> 6293, gapd-6 12546 -> 12581, the other three the same.
            search.roundSettings = options.searchSettings
            search.roundSettings?.backtracking = .bestProjection
            // Tabu search first and whenever the rounds stall, each run ended by 200n steps without a better plan:
            // at 60 s gapd-5 6293 -> 6231 and gapd-6 12581 -> 12331; gap1-gap12 proven in 6.9-7.5 s in all (8-11 s).
            // Runs of 100n steps (stall 50n) spent more time on rounds: gapd-5 6262.
            search.warmUp = tabuWarmUp(direction: direction, column: column, excluded: excluded, iterations: 1_000 * jobs, stall: 200 * jobs)
            options.neighbourhoodSearch = search
        }
        return try GLPKSolver.solve(model, options: options)
    }

    /// Column values of a plan given as each job's agent (every pair in it has a column).
    static func columnValues(_ agentOfJob: [Int], column: [[Int?]], count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        for (j, i) in agentOfJob.enumerated() { values[column[i][j]!] = 1 }
        return values
    }

    /// Costs to minimise and each pair's resource, infinity for pairs that cannot fit or are `excluded`.
    private func minimisationTerms(direction: OptimizationDirection, excluded: [Bool]? = nil) -> (cost: [Double], use: [Double]) {
        let sign: Double = direction == .minimize ? 1 : -1
        var cost = [Double](repeating: 0, count: agents * jobs), use = cost
        for i in 0..<agents {
            for j in 0..<jobs {
                cost[i * jobs + j] = sign * value[i][j]
                use[i * jobs + j] = resource[i][j] <= capacity[i] && excluded?[i * jobs + j] != true ? resource[i][j] : .infinity
            }
        }
        return (cost, use)
    }

    /// Each job's agent in a plan given as column values (-1 for a job no column gives).
    static func agentOfJob(_ values: [Double], column: [[Int?]]) -> [Int] {
        var agentOfJob = [Int](repeating: -1, count: column.first?.count ?? 0)
        for (i, columns) in column.enumerated() {
            for (j, c) in columns.enumerated() { if let c, values[c] > 0.5 { agentOfJob[j] = i } }
        }
        return agentOfJob
    }

    /// The instance as the tabu search sees it: costs to minimise, and pairs that cannot fit or are excluded shut out.
    func tabuSearch(direction: OptimizationDirection, excluded: [Bool]? = nil) -> AssignmentTabuSearch {
        let (cost, use) = minimisationTerms(direction: direction, excluded: excluded)
        return AssignmentTabuSearch(agents: agents, jobs: jobs, cost: cost, use: use, capacity: capacity)
    }

    /// The Lagrangian relaxation of the instance, when its knapsacks can be solved exactly.
    func lagrangian(direction: OptimizationDirection) -> AssignmentLagrangian? {
        let (cost, use) = minimisationTerms(direction: direction)
        return AssignmentLagrangian(agents: agents, jobs: jobs, cost: cost, use: use, capacity: capacity)
    }

    /// The tabu search as the neighbourhood search's warm-up: column values in, column values out.
    func tabuWarmUp(direction: OptimizationDirection, column: [[Int?]], excluded: [Bool]? = nil, iterations: Int, stall: Int) -> NeighbourhoodSearch.WarmUp {
        let search = tabuSearch(direction: direction, excluded: excluded)
        return { values, seed, deadline, shouldStop, found in
            let agentOfJob = Self.agentOfJob(values, column: column)
            guard agentOfJob.allSatisfy({ $0 >= 0 }) else { return }
            withoutActuallyEscaping(found) { found in
                _ = search.improve(agentOfJob, iterations: iterations, stall: stall, seed: seed, deadline: deadline, shouldStop: shouldStop) { plan in
                    found(Self.columnValues(plan, column: column, count: values.count))
                }
            }
        }
    }

    /// Martello and Toth's regret heuristic (MTHG, 1981) under four measures of how much an agent suits a job
    /// (value, resource, value per resource, resource share of capacity), each followed by single-job moves
    /// that improve the value; the best feasible result, or nil when every measure leaves a job unplaced.
    func greedyAssignment(direction: OptimizationDirection) -> [Int]? {
        let sign: Double = direction == .minimize ? 1 : -1
        let measures: [(Int, Int) -> Double] = [
            { i, j in sign * value[i][j] },
            { i, j in resource[i][j] },
            { i, j in sign * value[i][j] / max(1e-9, resource[i][j]) },
            { i, j in resource[i][j] / max(1e-9, capacity[i]) },
        ]
        var best: (assignment: [Int], cost: Double)? = nil
        for measure in measures {
            guard var assignment = regretGreedy(measure) else { continue }
            improveByMoves(&assignment, sign: sign)
            let cost = (0..<jobs).reduce(0.0) { $0 + sign * value[assignment[$1]][$1] }
            if best == nil || cost < best!.cost { best = (assignment, cost) }
        }
        return best?.assignment
    }

    /// Places, one at a time, the job whose best agent is most clearly better than its second best.
    private func regretGreedy(_ measure: (Int, Int) -> Double) -> [Int]? {
        var left = capacity
        var agentOf = [Int](repeating: -1, count: jobs)
        for _ in 0..<jobs {
            var pick: (job: Int, agent: Int, regret: Double)? = nil
            for j in 0..<jobs where agentOf[j] < 0 {
                var first: (agent: Int, score: Double)? = nil
                var second = Double.infinity
                for i in 0..<agents where resource[i][j] <= left[i] {
                    let score = measure(i, j)
                    if first == nil || score < first!.score { second = first?.score ?? .infinity; first = (i, score) }
                    else if score < second { second = score }
                }
                guard let first else { return nil }
                let regret = second - first.score
                if pick == nil || regret > pick!.regret { pick = (j, first.agent, regret) }
            }
            guard let pick else { break }
            agentOf[pick.job] = pick.agent
            left[pick.agent] -= resource[pick.agent][pick.job]
        }
        return agentOf
    }

    /// Moves single jobs to agents with room where that improves the value, until no move does.
    private func improveByMoves(_ agentOf: inout [Int], sign: Double) {
        var left = capacity
        for (j, i) in agentOf.enumerated() { left[i] -= resource[i][j] }
        var moved = true
        while moved {
            moved = false
            for j in 0..<jobs {
                let from = agentOf[j]
                for i in 0..<agents where i != from && resource[i][j] <= left[i] && sign * (value[i][j] - value[from][j]) < 0 {
                    left[from] += resource[from][j]
                    left[i] -= resource[i][j]
                    agentOf[j] = i
                    moved = true
                    break
                }
            }
        }
    }
}
