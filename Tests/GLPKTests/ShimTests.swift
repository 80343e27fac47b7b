import Foundation
import Testing

@testable import GLPK

// The shim's Driebeck-Tomlin branching (CGLPK/branching.c) must choose exactly what GLPK's own code
// chooses: the same column, the same branch first, so the same tree; its Gomory cuts (CGLPK/gomory.c)
// must be GLPK's cuts at GLPK's nodes. Solved both ways to a node limit, every figure of the result must
// agree to the bit.

/// xorshift, so the instances are the same on every run.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func below(_ n: UInt64) -> Double {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state % n)
    }
}

/// A generalized assignment problem too large to prove in a few hundred nodes (so the tree branches
/// throughout), minimising cost, every job to one agent within capacity.
private func assignmentModel(agents: Int, jobs: Int, seed: UInt64) -> LinearModel {
    var random = TestRandom(seed: seed)
    func next(_ n: UInt64) -> Double { random.below(n) }
    var columns: [Column] = [], coefficients: [Coefficient] = []
    var rows = (0..<jobs).map { Row(name: "job\($0)", lower: 1, upper: 1) }
    rows += (0..<agents).map { Row(name: "agent\($0)", upper: (Double(jobs) * 11 / Double(agents) * 0.8).rounded()) }
    for i in 0..<agents {
        for j in 0..<jobs {
            columns.append(Column(name: "x\(i)_\(j)", kind: .binary, objective: 10 + next(40)))
            coefficients.append(Coefficient(row: j, column: columns.count - 1, value: 1))
            coefficients.append(Coefficient(row: jobs + i, column: columns.count - 1, value: 5 + next(20)))
        }
    }
    return LinearModel(name: "assignment", direction: .minimize, columns: columns, rows: rows, coefficients: coefficients)
}

/// General integers with fractional weights, maximised: the rule's integer rounding of the entering
/// variable's change (Tomlin) and the maximising signs are exercised as well.
private func integerKnapsacks(items: Int, sacks: Int, seed: UInt64) -> LinearModel {
    var random = TestRandom(seed: seed)
    func next(_ n: UInt64) -> Double { random.below(n) }
    var columns: [Column] = [], coefficients: [Coefficient] = []
    var rows = (0..<sacks).map { Row(name: "sack\($0)", upper: 37.5 + next(20)) }
    rows += (0..<items).map { Row(name: "item\($0)", upper: 3) }
    for k in 0..<sacks {
        for j in 0..<items {
            columns.append(Column(name: "n\(k)_\(j)", kind: .integer, lower: 0, upper: 3, objective: 3 + next(17)))
            coefficients.append(Coefficient(row: k, column: columns.count - 1, value: 1.3 + next(70) / 10))
            coefficients.append(Coefficient(row: sacks + j, column: columns.count - 1, value: 1))
        }
    }
    return LinearModel(name: "knapsacks", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
}

private func solve(_ model: LinearModel, _ settings: SearchSettings, nodes: Int) throws -> Solution {
    var options = SolveOptions()
    options.nodeLimit = nodes
    options.searchSettings = settings
    return try Problem(model).solve(options)
}

private func solveBothWays(_ model: LinearModel, cuts: CutOptions, nodes: Int) throws -> (shim: Solution, glpk: Solution) {
    func settings(_ rule: BranchingRule) -> SearchSettings { SearchSettings(cuts: cuts, branching: rule, backtracking: .bestProjection) }
    return (try solve(model, settings(.driebeckTomlin), nodes: nodes), try solve(model, settings(.driebeckTomlinByGLPK), nodes: nodes))
}

/// Every cut (and `cuts`' extras), Gomory's made by the shim and by GLPK, with the same branching both times.
private func gomoryBothWays(_ model: LinearModel, cuts: CutOptions = .all, branching: BranchingRule = .driebeckTomlin,
                            nodes: Int) throws -> (shim: Solution, glpk: Solution) {
    var byGLPK = cuts
    byGLPK.gomoryByGLPK = true
    func settings(_ cuts: CutOptions) -> SearchSettings { SearchSettings(cuts: cuts, branching: branching, backtracking: .bestProjection) }
    return (try solve(model, settings(cuts), nodes: nodes), try solve(model, settings(byGLPK), nodes: nodes))
}

private func expectSameSearch(_ shim: Solution, _ glpk: Solution) {
    #expect(shim.nodes == glpk.nodes)
    #expect(shim.status == glpk.status)
    #expect(shim.objective == glpk.objective)
    #expect(shim.bestBound == glpk.bestBound)
    let samePlan = shim.columnValues == glpk.columnValues
    #expect(samePlan)
}

/// Every cut and the lifted covers, no Gomory cuts (the blocks' settings), no cuts at all; each on an
/// instance that none of them proves in 300 nodes.
@Test(arguments: [0, 1, 2])
func shimBranchesAsGLPKDoesOnAssignments(setting: Int) throws {
    let cuts = [CutOptions(liftedCovers: true), CutOptions(gomory: false), CutOptions.none][setting]
    let seed: UInt64 = setting == 2 ? 1 : 3
    let (shim, glpk) = try solveBothWays(assignmentModel(agents: 6, jobs: 36, seed: seed), cuts: cuts, nodes: 300)
    #expect(glpk.nodes == 301 && glpk.status == .feasible, "the tree must branch throughout for the comparison to mean anything")
    expectSameSearch(shim, glpk)
}

@Test func shimBranchesAsGLPKDoesOnGeneralIntegers() throws {
    let (shim, glpk) = try solveBothWays(integerKnapsacks(items: 24, sacks: 5, seed: 7), cuts: .all, nodes: 300)
    #expect(glpk.nodes > 50)
    expectSameSearch(shim, glpk)
}

/// Binary columns (assignments) and general integers with upper bounds (knapsacks): the cuts' integer
/// rounding on both bounds, the candidates' order and the driver's choice of nodes all have to agree. The
/// third is the generalized assignment solve's setting: lifted covers from the same callback, and GLPK's
/// pseudocost branching, whose strong branching solves LPs between the callback's events.
@Test(arguments: [0, 1, 2])
func shimMakesGLPKsGomoryCuts(instance: Int) throws {
    let model = instance == 1 ? integerKnapsacks(items: 24, sacks: 5, seed: 7) : assignmentModel(agents: 6, jobs: 36, seed: 3)
    let (shim, glpk) = instance == 2
        ? try gomoryBothWays(model, cuts: CutOptions(liftedCovers: true), branching: .pseudocost, nodes: 300)
        : try gomoryBothWays(model, nodes: 300)
    #expect(glpk.nodes > 50 && glpk.status == .feasible, "the tree must branch for the comparison to mean anything")
    #expect(shim.gomoryCuts > 0 && glpk.gomoryCuts == 0)
    expectSameSearch(shim, glpk)
}

/// Best projection dives for plans and leaves the nodes near the root open, so its bound stays near the
/// root's. Taking the best-bound node at every fourth backtrack (the shim, at GLP_ISELECT) must raise the
/// bound within the same number of nodes, and a search run to the end must prove the same optimum.
@Test func backtracksToTheBestBoundRaiseTheBound() throws {
    func settings(_ rule: BacktrackingRule) -> SearchSettings { SearchSettings(cuts: CutOptions(gomory: false), branching: .driebeckTomlin, backtracking: rule) }
    let model = assignmentModel(agents: 6, jobs: 36, seed: 3)
    let projection = try solve(model, settings(.bestProjection), nodes: 300)
    let mixed = try solve(model, settings(.bestProjectionAndBound(every: 4)), nodes: 300)
    #expect(projection.status == .feasible && mixed.status == .feasible)
    let projectionBound = try #require(projection.bestBound), mixedBound = try #require(mixed.bestBound)
    #expect(mixedBound > projectionBound + 0.5, "minimising: a higher lower bound is the tighter one")

    let small = assignmentModel(agents: 6, jobs: 24, seed: 5)
    let proven = try solve(small, settings(.bestProjection), nodes: 100_000)
    let provenMixed = try solve(small, settings(.bestProjectionAndBound(every: 1)), nodes: 100_000)
    #expect(proven.status == .optimal && provenMixed.status == .optimal)
    #expect(provenMixed.objective == proven.objective && proven.objective == 633)
}

/// With a stale rule, a long run of backtracks without a better plan sends every later backtrack to the
/// best-bound node: where the fixed rule almost never does (every 1,000th), the bound must rise within the
/// same nodes, the log must count those backtracks, and a search run to the end must prove the same optimum.
@Test func backtracksGoToTheBestBoundOnceThePlanIsStale() throws {
    func settings(_ rule: BacktrackingRule) -> SearchSettings { SearchSettings(cuts: CutOptions(gomory: false), branching: .driebeckTomlin, backtracking: rule) }
    let model = assignmentModel(agents: 6, jobs: 36, seed: 3)
    let fixed = try solve(model, settings(.bestProjectionAndBound(every: 1000)), nodes: 300)
    let stale = try solve(model, settings(.bestProjectionAndBound(every: 1000, whenStale: 5)), nodes: 300)
    #expect(fixed.status == .feasible && stale.status == .feasible)
    let fixedBound = try #require(fixed.bestBound), staleBound = try #require(stale.bestBound)
    #expect(staleBound > fixedBound + 0.5, "minimising: a higher lower bound is the tighter one")
    #expect(fixed.log.contains("Backtracked to the best-bound node: 0 times of"))
    let chosen = try #require(stale.log.firstMatch(of: /Backtracked to the best-bound node: (\d+) times of (\d+)/))
    #expect(Int(chosen.1)! > 0 && Int(chosen.1)! <= Int(chosen.2)!, "\(stale.log)")

    let small = assignmentModel(agents: 6, jobs: 24, seed: 5)
    let proven = try solve(small, settings(.bestProjectionAndBound(every: 4, whenStale: 5)), nodes: 100_000)
    #expect(proven.status == .optimal && proven.objective == 633)
}
