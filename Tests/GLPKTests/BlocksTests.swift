import Foundation
import Testing

@testable import GLPK

/// Two 0-1 knapsacks side by side (capacities 5 and 6), optionally joined by a "budget" row on the
/// total weight, and one column in no row at all.
///   knapsack A: weights 3, 2, 4  values 5, 3, 6.5  capacity 5  -> best {0, 1} = 8 (weight 5)
///   knapsack B: weights 5, 1, 4  values 7, 2, 6  capacity 6  -> best {0, 1} = 9 (weight 6)
///   loose column: binary, objective 1 -> 1
/// Whole optimum without the budget: 18, weight 11.
func twoKnapsacks(budget: Double?) -> (model: LinearModel, linking: [Int]) {
    var columns: [Column] = []
    var rows = [Row(name: "capA", upper: 5), Row(name: "capB", upper: 6)]
    var coefficients: [Coefficient] = []
    let a = [(3.0, 5.0), (2, 3), (4, 6.5)], b = [(5.0, 7.0), (1, 2), (4, 6)]
    // Interleave the two knapsacks' columns so that blocks are not simply column ranges.
    for k in 0..<3 {
        columns.append(Column(name: "a\(k)", kind: .binary, objective: a[k].1))
        coefficients.append(Coefficient(row: 0, column: columns.count - 1, value: a[k].0))
        columns.append(Column(name: "b\(k)", kind: .binary, objective: b[k].1))
        coefficients.append(Coefficient(row: 1, column: columns.count - 1, value: b[k].0))
    }
    columns.append(Column(name: "loose", kind: .binary, objective: 1))
    var linking: [Int] = []
    if let budget {
        rows.append(Row(name: "budget", upper: budget))
        linking = [2]
        for k in 0..<3 {
            coefficients.append(Coefficient(row: 2, column: 2 * k, value: a[k].0))
            coefficients.append(Coefficient(row: 2, column: 2 * k + 1, value: b[k].0))
        }
    }
    return (LinearModel(name: "two", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients), linking)
}

@Test func blocksSplitOnSharedRowsOnly() {
    let (model, linking) = twoKnapsacks(budget: 100)
    let split = ModelBlocks(model, linkingRows: linking)
    #expect(split.blocks.count == 2)
    // Numbered by lowest column; the loose column joins the first block; the budget row is in neither.
    #expect(split.blocks[0].columns == [0, 2, 4, 6])
    #expect(split.blocks[1].columns == [1, 3, 5])
    #expect(split.blocks[0].rows == [0])
    #expect(split.blocks[1].rows == [1])
    #expect(split.model(of: 1).coefficients.map(\.value) == [5, 1, 4])
    #expect(split.model(of: 1).coefficients.map(\.column) == [0, 1, 2])
    // Without setting the budget aside, it joins everything.
    #expect(ModelBlocks(model).blocks.count == 1)
}

@Test func blocksSolvedApartGiveTheWholeOptimum() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    let byBlocks = try GLPKSolver.solveByBlocks(model, linkingRows: linking)
    let whole = try GLPKSolver.solve(model)
    #expect(byBlocks.status == .optimal)
    #expect(abs(byBlocks.objective! - 18) < 1e-9)
    #expect(abs(whole.objective! - 18) < 1e-9)
    #expect(byBlocks.columnValues == [1, 1, 1, 1, 0, 0, 1])
    #expect(abs(byBlocks.rowValues[2] - 11) < 1e-9)  // the linking row's activity, computed after combining
    #expect(byBlocks.gap == 0)
    #expect(byBlocks.log.contains("Solved in 2 independent blocks"))
}

@Test func aBrokenLinkingRowMeansTheWholeModelIsSolved() throws {
    // Budget 9 < 11: the blocks' answers together break it. Enumerated: A {2} + B {1,2} = 6.5 + 8 (weight 9)
    // beats A {0,1} + B {2} = 14, A {0} + B {0,1} = 14, A {2} + B {0} = 13.5; plus the loose column: 15.5.
    // Started from the empty plan, which spends nothing of the budget, the blocks are solved apart first.
    let (model, linking) = twoKnapsacks(budget: 9)
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: SolveOptions(startingSolution: Array(repeating: 0, count: 7)))
    #expect(solution.status == .optimal)
    #expect(abs(solution.objective! - 15.5) < 1e-9)
    #expect(solution.columnValues == [0, 0, 0, 1, 1, 1, 1])
    #expect(solution.log.contains("break row budget; solved as one model"))
}

/// A linking row that the starting solution nearly fills, or that may be broken when there is no start, is
/// solved as one model from the outset: the blocks apart would break it and their time would be lost.
@Test func aLinkingRowLikelyToBindIsSolvedAsOneModelAtOnce() throws {
    let (model, linking) = twoKnapsacks(budget: 9)
    // a2 + b1 + b2 weigh 9: the whole budget.
    let full = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: SolveOptions(startingSolution: [0, 0, 0, 1, 1, 1, 0]))
    #expect(full.status == .optimal && abs(full.objective! - 15.5) < 1e-9)
    #expect(full.log.hasPrefix("Solved as one model: row budget is nearly full in the starting solution (9.00 of 9.00)"))
    #expect(!full.log.contains("independent blocks"))
    // Within 5% or the largest weight (5) of the budget counts as nearly full: b0 weighs 5, 4 short of 9.
    #expect(GLPKSolver.linkingRowLikelyToBind(model, linkingRows: linking, start: [0, 1, 0, 0, 0, 0, 0]) != nil)
    #expect(GLPKSolver.linkingRowLikelyToBind(model, linkingRows: linking, start: [0, 0, 0, 1, 0, 0, 0]) == nil)
    #expect(GLPKSolver.solvesWhole(model, linkingRows: linking, start: [0, 1, 0, 0, 0, 0, 0]))
    #expect(!GLPKSolver.solvesWhole(model, linkingRows: linking, start: [0, 0, 0, 1, 0, 0, 0]))
    let unstarted = try GLPKSolver.solveByBlocks(model, linkingRows: linking)
    #expect(unstarted.status == .optimal && abs(unstarted.objective! - 15.5) < 1e-9)
    #expect(unstarted.log.hasPrefix("Solved as one model: row budget may be broken and there is no starting solution to judge it by"))
    // Every column at once weighs 19: a budget of 19 cannot be broken, so the blocks are solved apart.
    #expect(GLPKSolver.linkingRowLikelyToBind(twoKnapsacks(budget: 19).model, linkingRows: linking, start: nil) == nil)
    #expect(GLPKSolver.linkingRowLikelyToBind(twoKnapsacks(budget: 18.5).model, linkingRows: linking, start: nil) != nil)
}

@Test func anInfeasibleBlockMakesTheModelInfeasible() throws {
    var (model, linking) = twoKnapsacks(budget: 100)
    // Knapsack B must weigh at least 20: impossible.
    model.rows[1] = Row(name: "capB", lower: 20)
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking)
    #expect(solution.status == .infeasible)
}

@Test func startingSolutionAndNodeCountsArePerBlock() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions()
    options.startingSolution = [1, 1, 1, 1, 0, 0, 1]
    options.timeLimitSeconds = 30
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(solution.status == .optimal)
    #expect(abs(solution.objective! - 18) < 1e-9)
    #expect(solution.log.components(separatedBy: "--- block").count == 3)
}

@Test func aBlockAboveTheSearchedSizeKeepsItsStartingPlanAndHasNoBound() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions()
    // A feasible but not optimal start: A {2} = 6.5, B {0} = 7, the loose column 1 (optimum 18).
    options.startingSolution = [0, 1, 0, 0, 1, 0, 1]
    // Block A (a0, a1, a2, loose: 4 columns) is too large to search; block B (3 columns) is searched.
    options.largestSearchedColumns = 3
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(solution.status == .feasible)
    #expect(solution.columnValues == [0, 1, 0, 1, 1, 0, 1])
    #expect(abs(solution.objective! - (6.5 + 9 + 1)) < 1e-9)
    #expect(solution.bestBound == nil)
    #expect(abs(solution.rowValues[0] - 4) < 1e-9)
    #expect(solution.log.contains("Not searched: 4 columns"))
    // Each block's line carries its plan, and its bound when it has one: where the whole's missing bound lies.
    #expect(solution.log.split(separator: "\n").filter { $0.hasPrefix("--- block") }
        == ["--- block 1: 4 columns, 1 rows, feasible, 0 nodes, plan 7.50", "--- block 2: 3 columns, 1 rows, optimal, 1 nodes, plan 9.00, bound 9.00"])
    // Without a feasible start the limit does not apply: block A is searched like any other.
    options.startingSolution = [1, 1, 1, 1, 1, 1, 1]
    let searched = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(searched.status == .optimal)
    #expect(abs(searched.objective! - 18) < 1e-9)
    // The log says why: A {0, 1, 2} weighs 9 in a knapsack of 5.
    #expect(searched.log.contains("Searched although over 3 columns: the starting plan does not fit it (row 0 'capA' activity 9.0 is above 5.0)"))
}

/// Three knapsacks with fractional weights and values (sums that rounding could change) as three blocks,
/// joined by a budget row, with an objective constant and a row in no column. The blocks' own models are cut
/// out only when asked for.
func threeFractionalKnapsacks() -> (model: LinearModel, linking: [Int]) {
    var columns: [Column] = []
    var rows = [Row(name: "budget", upper: 100), Row(name: "empty", upper: 1)]
    var coefficients: [Coefficient] = []
    for k in 0..<3 { rows.append(Row(name: "cap\(k)", lower: 0.05, upper: 1.3)) }
    // Interleaved: column j belongs to knapsack j % 3.
    for j in 0..<12 {
        let k = j % 3, weight = 0.1 * Double(j % 5 + 1) + 0.01 * Double(k), value = 1.0 / Double(j + 3)
        columns.append(Column(name: "x\(j)", kind: j == 11 ? .continuous : .binary, upper: 1, objective: value))
        coefficients.append(Coefficient(row: 2 + k, column: j, value: weight))
        coefficients.append(Coefficient(row: 0, column: j, value: 3.7))
    }
    return (LinearModel(name: "three", direction: .maximize, objectiveConstant: 0.3, columns: columns, rows: rows,
                        coefficients: coefficients), [0])
}

@Test func aBlocksModelIsCutOutOfTheWholeWhenAskedFor() {
    let (model, linking) = threeFractionalKnapsacks()
    let split = ModelBlocks(model, linkingRows: linking)
    #expect(split.blocks.map(\.columns) == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]])
    // The row in no column stays with the first block; the budget row is in none.
    #expect(split.blocks.map(\.rows) == [[1, 2], [3], [4]])
    let second = split.model(of: 1)
    #expect(second.name == "three_block2" && second.objectiveConstant == 0 && second.direction == .maximize)
    #expect(second.columns == [1, 4, 7, 10].map { model.columns[$0] })
    #expect(second.rows == [model.rows[3]])
    #expect(second.coefficients == [1, 4, 7, 10].enumerated().map { k, j in
        Coefficient(row: 0, column: k, value: model.coefficients.first { $0.row == 3 && $0.column == j }!.value) })
    // The first block carries the objective's constant, in its model and in its objective at a whole solution.
    let first = split.model(of: 0)
    #expect(first.objectiveConstant == 0.3)
    let values = (0..<12).map { Double($0 % 2) }
    for b in 0..<3 {
        #expect(split.objectiveValue(of: b, values) == split.model(of: b).objectiveValue(split.blocks[b].columns.map { values[$0] }))
    }
}

/// A block too large to search is answered from the whole model's start, without its own model: to the bit
/// what its own model gives, rounding of the start included; a start that does not fit the whole leaves each
/// block to its own check.
@Test func aBlockKeptWithoutItsOwnModelHasTheAnswerItsModelWouldGive() throws {
    let (model, linking) = threeFractionalKnapsacks()
    let split = ModelBlocks(model, linkingRows: linking)
    var options = SolveOptions()
    options.largestSearchedColumns = 3
    // Knapsack 0 takes x0 (within rounding of 1), x3 and x6; 1 takes x4; 2 takes x2 and a quarter of x11.
    var start = [0.9999999996, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0.25]
    start[1] = 2e-10
    options.startingSolution = start
    let kept = try #require(KeptStart(split, options: options))
    for b in 0..<3 {
        var own = options
        own.startingSolution = split.blocks[b].columns.map { start[$0] }
        let expected = try GLPKSolver.solve(split.model(of: b), options: own)
        let answer = try #require(kept.answer(block: b))
        #expect(answer.status == expected.status && answer.objective == expected.objective)
        #expect(answer.columnValues == expected.columnValues && answer.rowValues == expected.rowValues)
        #expect(answer.log == expected.log && answer.log.hasPrefix("Not searched: 4 columns"))
        #expect(answer.bestBound == nil && expected.bestBound == nil)
    }
    // Rounded as GLPK would be given it.
    #expect(kept.answer(block: 0)?.columnValues == [1, 1, 1, 0])
    // A block within the size is searched, not kept; with a neighbourhood search the start is improved instead.
    options.largestSearchedColumns = 4
    #expect(KeptStart(split, options: options) == nil)
    options.largestSearchedColumns = 3
    var improved = options
    improved.largeModelSearch = NeighbourhoodSearch(groupings: [(0..<12).map { [$0] }], rounds: 1, initialGroups: 1, patience: 1, probeNodes: 0)
    #expect(KeptStart(split, options: improved) == nil)
    // The start spends 19.425 of the budget: lowered to 10, there is no start to keep from.
    var tight = model
    tight.rows[0].upper = 10
    #expect(KeptStart(ModelBlocks(tight, linkingRows: linking), options: options) == nil)
    // Nor when a block's row is broken (knapsack 1 empty, under its least of 0.05), or without a start.
    start[4] = 0
    options.startingSolution = start
    #expect(KeptStart(split, options: options) == nil)
    options.startingSolution = nil
    #expect(KeptStart(split, options: options) == nil)
}

@Test func aBlockAboveTheSearchedSizeIsImprovedByTheLargeModelSearchWhenGivenOne() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions()
    options.startingSolution = [0, 1, 0, 0, 1, 0, 1]  // A {2} = 6.5, B {0} = 7, loose 1
    options.largestSearchedColumns = 3
    options.timeLimitSeconds = 60
    // One group per column: rounds free three of block A's four, are solved exactly, grow to all four, and
    // the round over the whole block settles it (the time limit is only a backstop).
    options.largeModelSearch = NeighbourhoodSearch(groupings: [(0..<7).map { [$0] }], rounds: 100, initialGroups: 3, patience: 100, probeNodes: 0)
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(solution.status == .feasible)
    #expect(solution.columnValues == [1, 1, 1, 1, 0, 0, 1])
    #expect(abs(solution.objective! - 18) < 1e-9)
    #expect(solution.log.contains("Not searched by branch-and-bound: 4 columns"))
    #expect(solution.log.contains("the last over the whole model"))
}

/// With two workers, the block too large for the tree has one of its own, to the deadline, and the other blocks
/// share the rest: the same plan as with one worker. Only under a time limit, with a search for it, and when the
/// block is too large for the tree.
@Test func theLargeModelSearchHasAWorkerOfItsOwnWhenThereAreTwo() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions()
    options.startingSolution = [0, 1, 0, 0, 1, 0, 1]
    options.largestSearchedColumns = 3
    options.timeLimitSeconds = 60
    options.largeModelSearch = NeighbourhoodSearch(groupings: [(0..<7).map { [$0] }], rounds: 100, initialGroups: 3, patience: 100, probeNodes: 0)
    let split = ModelBlocks(model, linkingRows: linking)
    let large = try #require(split.blocks.indices.first { split.blocks[$0].columns.count == 4 })
    #expect(GLPKSolver.dedicatedBlock(split, workers: 2, options: options) == large)
    #expect(GLPKSolver.dedicatedBlock(split, workers: 1, options: options) == nil)
    var untimed = options
    untimed.timeLimitSeconds = nil
    #expect(GLPKSolver.dedicatedBlock(split, workers: 2, options: untimed) == nil)
    var withoutSearch = options
    withoutSearch.largeModelSearch = nil
    #expect(GLPKSolver.dedicatedBlock(split, workers: 2, options: withoutSearch) == nil)
    var searched = options
    searched.largestSearchedColumns = 4
    #expect(GLPKSolver.dedicatedBlock(split, workers: 2, options: searched) == nil)
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 2)
    #expect(solution.status == .feasible)
    #expect(solution.columnValues == [1, 1, 1, 1, 0, 0, 1])
    #expect(abs(solution.objective! - 18) < 1e-9)
    #expect(solution.log.contains("Not searched by branch-and-bound: 4 columns"))
}

@Test func aStartWithinRoundingOfAPlanStillCountsAsTheBlocksPlan() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions()
    // The start of the test above with a heuristic's rounding error on a1 and b0: still kept, as exact 0 and 1.
    options.startingSolution = [0, 0.9999999996, 0, 0, 1, 0, 1]
    options.startingSolution![2] = 3e-10
    options.largestSearchedColumns = 3
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(solution.log.contains("Not searched: 4 columns"))
    #expect(solution.columnValues == [0, 1, 0, 1, 1, 0, 1])
}

/// Two copies of a multi-constraint knapsack as two regions: under a time limit with a region stall
/// rule, each region's tree stops once it has gone without a better plan (here at once) and the
/// neighbourhood search, restricted to that region's columns, improves its plan; the tree's bound is
/// kept. Without the rule the regions search to their limits and nothing is handed over.
@Test func aStalledRegionHandsItsTimeToItsOwnSearch() throws {
    let one = hardMIP(items: 30, constraints: 4, seed: 5)
    let n = one.columns.count
    var model = LinearModel(name: "regions", direction: .maximize)
    for copy in 0..<2 {
        model.columns += one.columns.map { Column(name: "\($0.name)_\(copy)", kind: $0.kind, lower: $0.lower, upper: $0.upper, objective: $0.objective) }
        model.rows += one.rows.map { Row(name: "\($0.name)_\(copy)", lower: $0.lower, upper: $0.upper) }
        model.coefficients += one.coefficients.map {
            Coefficient(row: $0.row + copy * one.rows.count, column: $0.column + copy * n, value: $0.value)
        }
    }
    var options = SolveOptions(cuts: .none, feasibilityPump: false, startingSolution: [Double](repeating: 0, count: 2 * n))
    options.timeLimitSeconds = 600
    options.nodeLimit = 3  // a safety net: without the stall rule, the limit ends each tree
    options.stallSeconds = 30  // the whole model's rule: regions do not use it
    // Groups of five columns; rounds free two groups at a time, and a round covering a region proves it.
    let search = NeighbourhoodSearch(groupings: [(0..<(2 * n / 5)).map { g in Array(g * 5 ..< g * 5 + 5) }], rounds: 40, initialGroups: 2)
    options.stallSearch = { search }
    let apart = try GLPKSolver.solveByBlocks(model, linkingRows: [], options: options, concurrency: 1)
    #expect(!apart.log.contains("No better plan"))
    options.regionStallFraction = 1e-12
    let handedOver = try GLPKSolver.solveByBlocks(model, linkingRows: [], options: options, concurrency: 1)
    #expect(handedOver.log.components(separatedBy: "branch-and-bound stopped and the neighbourhood search had the remaining").count == 3,
            "\(handedOver.log)")
    #expect(handedOver.status == .feasible && handedOver.stoppedByTimeLimit)
    #expect(model.isIntegralAndFeasible(handedOver.columnValues))
    #expect(isClose(handedOver.objective, model.objectiveValue(handedOver.columnValues)))
    // Each region's search reaches that region's optimum, which the trees alone, stopped after three
    // nodes, do not; the bound is the trees' own.
    let optimum = try GLPKSolver.solve(one)
    #expect(isClose(handedOver.objective, 2 * optimum.objective!))
    #expect(apart.objective! < handedOver.objective! - 1e-6)
    #expect(handedOver.bestBound! >= handedOver.objective! - 1e-6)
    // Further from its bound than `regionStallMaxGap` (a start of nothing is infinitely far), a region's tree
    // goes on: the rule stops none, and the node limit ends each tree as without it.
    options.regionStallMaxGap = 0.01
    let farFromBound = try GLPKSolver.solveByBlocks(model, linkingRows: [], options: options, concurrency: 1)
    #expect(!farFromBound.log.contains("No better plan"), "\(farFromBound.log)")
    #expect(farFromBound.columnValues == apart.columnValues)
    // ... unless the region has more columns than `regionStallMaxGapColumns`: a large region stalls at any gap.
    options.regionStallMaxGapColumns = n - 1
    let large = try GLPKSolver.solveByBlocks(model, linkingRows: [], options: options, concurrency: 1)
    #expect(large.log.components(separatedBy: "branch-and-bound stopped and the neighbourhood search had the remaining").count == 3)
    #expect(isClose(large.objective, handedOver.objective!))
}

/// While a stalled tree's search runs, progress keeps the tree's bound and the solve's clock: the search
/// alone knows neither, and its lines would drop the gap and start again from 0 s.
@Test func progressDuringAHandOverKeepsTheBoundAndTheClock() throws {
    let model = hardMIP(items: 30, constraints: 4, seed: 5)
    let lines = Counter()
    var options = SolveOptions(cuts: .none, feasibilityPump: false, startingSolution: [Double](repeating: 0, count: model.columns.count))
    options.timeLimitSeconds = 600
    options.nodeLimit = 3
    options.stallSeconds = 1e-9
    let search = NeighbourhoodSearch(groupings: [(0..<6).map { g in Array(g * 5 ..< g * 5 + 5) }], rounds: 40, initialGroups: 2)
    options.stallSearch = { search }
    options.progress = { lines.record($0) }
    options.progressInterval = 0
    let solution = try GLPKSolver.solve(model, options: options)
    #expect(solution.log.contains("branch-and-bound stopped and the neighbourhood search had the remaining"))
    let reports = lines.reports
    let last = try #require(reports.last)
    #expect(last.incumbent == solution.objective, "the search's better plan is the last line")
    #expect(last.bound != nil && last.bound == solution.bestBound && last.gap != nil)
    #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.elapsedSeconds <= $1.elapsedSeconds })
}

/// Under a time limit each block's share of the time left is its weight against the blocks not yet
/// started; a block too large to search and with no neighbourhood search keeps its start at once and weighs
/// nothing, so the others share all the time.
@Test func aBlockKeptAtOnceTakesNoShareOfTheTime() {
    var options = SolveOptions()
    options.largestSearchedColumns = 100
    #expect(GLPKSolver.timeWeight(columns: 100, options: options) == 100)
    #expect(GLPKSolver.timeWeight(columns: 101, options: options) == 0)
    options.largeModelSearch = NeighbourhoodSearch(groupings: [[[0], [1]]])
    #expect(GLPKSolver.timeWeight(columns: 101, options: options) == 101)
    options = SolveOptions()
    #expect(GLPKSolver.timeWeight(columns: 1_000_000, options: options) == 1_000_000)

    // Blocks of 10, 30 and a kept 500: two workers; the first may use 2 x 10 / 40 of the time left, the
    // second all of it (2 x 30 / 30, at most 1), and the kept one whatever is left, which it does not use.
    let queue = WorkQueue([0, 1, 2], sizes: [10, 30, 0])
    #expect(queue.timeShare(of: 0, workers: 2) == 0.5)
    #expect(queue.timeShare(of: 1, workers: 2) == 1)
    #expect(queue.timeShare(of: 2, workers: 2) == 1)
}

/// Blocks solved apart report one line for the whole model: from the first line a plan (blocks not yet
/// searched count with their part of the start), a bound once every block has one, and how many blocks are
/// done; the last line is the answer.
@Test func progressOfBlocksSumsThemFromTheStart() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    let lines = Counter()
    // a0 and b2: 5 + 6 = 11; the optimum is 18.
    var options = SolveOptions(startingSolution: [1, 0, 0, 0, 0, 1, 0])
    options.progress = { lines.record($0) }
    options.progressInterval = 0
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(solution.objective == 18)
    let reports = lines.reports
    let first = try #require(reports.first)
    #expect(first.incumbent == 11 && first.bound == nil && first.blocksDone == 0 && first.blocks == 2)
    let last = try #require(reports.last)
    #expect(last.incumbent == 18 && last.bound == 18 && last.gap == 0 && last.blocksDone == 2 && last.blocks == 2)
    #expect(reports.allSatisfy { $0.incumbent != nil && $0.blocks == 2 })
    #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.blocksDone! <= $1.blocksDone! })
    // One block done: its answer (the smaller knapsack, B: 9) with the other's start (a0: 5).
    #expect(reports.contains { $0.blocksDone == 1 && $0.incumbent == 14 })
}

/// A block searched once is answered from `BlockAnswers` when it comes again with the same model, start and
/// settings, and searched anew when any of them differs; nothing a time limit could have cut short is kept.
@Test func blockAnswersAreReusedOnlyForTheSameQuestion() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    let answers = BlockAnswers()
    var options = SolveOptions()
    options.blockAnswers = answers
    let first = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(answers.reused == 0)
    let again = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(answers.reused == 2)
    #expect(again.columnValues == first.columnValues && again.objective == first.objective && again.status == .optimal)

    // Knapsack B's capacity from 6 to 5: its best is now {2, 1} = 8; knapsack A is answered again.
    var changed = model
    changed.rows[1].upper = 5
    let afterChange = try GLPKSolver.solveByBlocks(changed, linkingRows: linking, options: options, concurrency: 1)
    #expect(answers.reused == 3)
    let fresh = try GLPKSolver.solveByBlocks(changed, linkingRows: linking, concurrency: 1)
    #expect(afterChange.columnValues == fresh.columnValues)
    #expect(afterChange.columnValues == [1, 0, 1, 1, 0, 1, 1])
    #expect(abs(afterChange.objective! - 17) < 1e-9)

    // Another start is another question.
    var started = options
    started.startingSolution = [1, 0, 0, 0, 0, 1, 0]
    _ = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: started, concurrency: 1)
    #expect(answers.reused == 3)

    // A block too large for branch-and-bound keeps its start: there is no search to keep.
    let large = BlockAnswers()
    var capped = SolveOptions(startingSolution: [1, 1, 0, 1, 0, 0, 1])
    capped.largestSearchedColumns = 3
    capped.blockAnswers = large
    for _ in 0..<2 { _ = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: capped, concurrency: 1) }
    #expect(large.reused == 1)  // knapsack B (3 columns) only; A and the loose column (4) are over the cap

    // Under a time limit nothing is kept or reused.
    let timed = BlockAnswers()
    var limited = SolveOptions(timeLimitSeconds: 60)
    limited.blockAnswers = timed
    for _ in 0..<2 { _ = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: limited, concurrency: 1) }
    #expect(timed.reused == 0)
}

/// What a region's root heuristic was given, call by call.
private final class RootCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(columns: [Int], relaxation: [Double])] = []
    func add(_ columns: [Int], _ relaxation: [Double]) { lock.withLock { calls.append((columns, relaxation)) } }
    var all: [(columns: [Int], relaxation: [Double])] { lock.withLock { calls } }
}

/// A region of at least `regionRootHeuristicColumns` columns has its root relaxation handed to the caller's
/// heuristic once, with the region's columns in the whole model; the plan it returns (in the region's own
/// columns) becomes the region's incumbent. Smaller regions are not asked.
@Test func aLargeEnoughRegionHasItsRootRelaxationPlannedByTheCaller() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    let calls = RootCalls()
    // Without cuts knapsack A's root relaxation is fractional (items 0 and half of 2), so the tree branches.
    var options = SolveOptions(cuts: CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false))
    options.regionRootHeuristic = { columns, relaxation, _ in
        calls.add(columns, relaxation)
        return [1, 1, 0, 1]  // knapsack A's best (a0, a1) and the loose column, in the region's order
    }
    options.regionRootHeuristicColumns = 4  // knapsack A's region has 4 columns, B's 3
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options)
    #expect(solution.status == .optimal && abs(solution.objective! - 18) < 1e-9)
    let made = calls.all
    #expect(made.count == 1)
    #expect(made.first?.columns == [0, 2, 4, 6])
    let relaxation = try #require(made.first?.relaxation)
    #expect(relaxation.count == 4 && relaxation.contains { $0 > 1e-6 && $0 < 1 - 1e-6 }, "\(relaxation)")
    #expect(solution.log.contains("Node heuristic: 1 runs, 1 plans offered, 1 became the incumbent"), "\(solution.log)")
}

/// With `interiorRoot` the relaxation comes from the interior-point method, is rounded by the root heuristic
/// and the tree is skipped: the answer is the better of the rounding and the start, marked stalled (so the
/// neighbourhood search has the rest), with the bound the interior point's duals give.
@Test func anInteriorRootRoundsTheInteriorPointAndSkipsTheTree() throws {
    let (model, _) = twoKnapsacks(budget: nil)  // columns a0 b0 a1 b1 a2 b2 loose
    func solve(rounding: [Double]?) throws -> (Solution, [Double]) {
        let calls = RootCalls()
        var options = SolveOptions(timeLimitSeconds: 60, startingSolution: [1, 0, 0, 0, 0, 1, 0])  // a0 and b2: 11
        options.stallSeconds = 30
        options.interiorRoot = true
        var once = NodeHeuristic(every: .max) { _, _ in nil }
        once.atRoot = { relaxation, _ in
            calls.add([], relaxation)
            return rounding
        }
        options.nodeHeuristic = once
        let solution = try Problem(model).solve(options)
        #expect(calls.all.count == 1)
        return (solution, calls.all.first?.relaxation ?? [])
    }
    // a0 a1 b0 b1 and the loose column: 8 + 9 + 1 = 18, the optimum.
    let (rounded, relaxation) = try solve(rounding: [1, 1, 1, 1, 0, 0, 1])
    // The LP optimum: knapsack A takes a0 and half of a2 (8.25), B b1, b2 and a fifth of b0 (9.4).
    let lp: [Double] = [1, 0.2, 0, 1, 0.5, 1, 1]
    #expect(relaxation.count == 7 && zip(relaxation, lp).allSatisfy { abs($0 - $1) < 1e-3 }, "\(relaxation)")
    #expect(rounded.status == .feasible && rounded.stoppedByStall && rounded.treeSkipped && !rounded.stoppedByTimeLimit && rounded.nodes == 0)
    #expect(rounded.objective == 18 && rounded.columnValues == [1, 1, 1, 1, 0, 0, 1])
    // Any multipliers bound the LP from above; these are the LP's own, to the method's accuracy.
    let bound = try #require(rounded.bestBound)
    #expect(bound >= 18.65 - 1e-9 && bound <= 18.65 * (1 + Problem.interiorTolerance), "\(bound)")
    #expect(rounded.log.contains("Relaxation by the interior-point method") && rounded.log.contains(") is the plan"), "\(rounded.log)")
    // A rounding no better than the start (or none) keeps the start.
    let (kept, _) = try solve(rounding: nil)
    #expect(kept.status == .feasible && kept.stoppedByStall && kept.objective == 11 && kept.columnValues == [1, 0, 0, 0, 0, 1, 0])
    #expect(kept.log.contains("is no better than the starting plan"), "\(kept.log)")
}

/// The interior-point method has no time limit of its own: a stop, or a deadline already passed, leaves it at
/// its first line of output, and the caller keeps its start.
@Test func theInteriorPointMethodIsLeftAtADeadlineOrAStop() throws {
    // On a thread of its own: leaving frees that thread's GLPK environment, and any problem made on it before.
    try GLPKSolver.onDedicatedThread {
        let (model, _) = twoKnapsacks(budget: nil)
        let start: [Double] = [1, 0, 0, 0, 0, 1, 0]
        var options = SolveOptions(timeLimitSeconds: 60, startingSolution: start)
        let past = try Problem(model).interiorRoot(from: start, options: options, rounding: { _, _ in nil }, deadline: .now - .seconds(1))
        guard case .left = past else { Issue.record("a passed deadline should leave the method, got \(past)"); return }
        options.shouldStop = { true }
        let stopped = try Problem(model).interiorRoot(from: start, options: options, rounding: { _, _ in nil }, deadline: nil)
        guard case .left = stopped else { Issue.record("a stop should leave the method, got \(stopped)"); return }
        // A new problem on the same thread solves as ever.
        #expect(try Problem(model).solve().objective == 18)
    }
}

/// Regions solved apart take the interior-point root only when they are rounded and larger than
/// `interiorRootColumns`; the others keep the simplex and the tree.
@Test func onlyARoundedRegionOverTheLineTakesTheInteriorRoot() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    var options = SolveOptions(timeLimitSeconds: 60, startingSolution: [1, 0, 0, 0, 0, 1, 0])
    options.regionStallFraction = 0.5
    options.regionRootHeuristic = { _, _, _ in [1, 1, 0, 1] }  // knapsack A's best and the loose column
    options.regionRootHeuristicColumns = 4  // knapsack A's region (4 columns) is rounded; B's (3) is not
    options.interiorRootColumns = 3
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(abs(solution.objective! - 18) < 1e-9)
    #expect(solution.log.components(separatedBy: "Relaxation by the interior-point method").count == 2, "\(solution.log)")
    // A's bound from its duals (8.25 + 1), B's proven 9.
    let bound = try #require(solution.bestBound)
    #expect(bound >= 18.25 - 1e-9 && bound <= 18.25 + 1e-2, "\(bound)")
    var above = options
    above.interiorRootColumns = 4
    let simplex = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: above, concurrency: 1)
    #expect(!simplex.log.contains("interior-point") && simplex.status == .optimal && abs(simplex.objective! - 18) < 1e-9)
}

/// A block too large for the tree, rounded and over `interiorRootColumns`, starts its neighbourhood
/// search from the rounding of its interior-point relaxation when that is better than its start.
@Test func aBlockTooLargeForTheTreeStartsItsSearchFromTheInteriorRounding() throws {
    let (model, linking) = twoKnapsacks(budget: 100)
    let calls = RootCalls()
    var options = SolveOptions(timeLimitSeconds: 60, startingSolution: [0, 1, 0, 0, 1, 0, 1])  // A {2} = 6.5, B {0} = 7, loose 1
    options.largestSearchedColumns = 3
    options.largeModelSearch = NeighbourhoodSearch(groupings: [(0..<7).map { [$0] }], rounds: 0)
    options.regionRootHeuristic = { columns, relaxation, _ in
        calls.add(columns, relaxation)
        return [1, 1, 0, 1]  // knapsack A's best and the loose column
    }
    options.regionRootHeuristicColumns = 4
    options.interiorRootColumns = 3
    let solution = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: options, concurrency: 1)
    #expect(calls.all.count == 1 && calls.all.first?.columns == [0, 2, 4, 6])
    #expect(solution.log.contains("Not searched by branch-and-bound: 4 columns"))
    #expect(solution.log.contains("Relaxation by the interior-point method") && solution.log.contains(") is the plan"), "\(solution.log)")
    #expect(solution.columnValues == [1, 1, 1, 1, 0, 0, 1] && abs(solution.objective! - 18) < 1e-9)
    // Without the line the search starts from the heuristic's plan, which a search of no rounds keeps.
    var without = options
    without.interiorRootColumns = 4
    let kept = try GLPKSolver.solveByBlocks(model, linkingRows: linking, options: without, concurrency: 1)
    #expect(!kept.log.contains("interior-point"))
    #expect(kept.columnValues == [0, 1, 0, 1, 1, 0, 1] && abs(kept.objective! - 16.5) < 1e-9, "\(kept.columnValues)")
}

/// A region whose root is rounded may spend a share of its time on its relaxation, at least its stall time;
/// larger regions, regions without the rounding and solves without the share keep the stall time.
@Test func aRoundedRegionsRelaxationMayTakeAShareOfItsTime() {
    var options = SolveOptions()
    options.stallSeconds = 4
    options.regionRootHeuristic = { _, _, _ in nil }
    options.regionRootHeuristicColumns = 5_001
    options.regionRootRelaxationShare = 0.4
    options.regionRootRelaxationColumns = 20_000
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 9_818, share: 12.9, options: options) == 0.4 * 12.9)
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 9_818, share: 5, options: options) == 4)
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 5_000, share: 12.9, options: options) == nil)
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 20_001, share: 12.9, options: options) == nil)
    var withoutShare = options
    withoutShare.regionRootRelaxationShare = nil
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 9_818, share: 12.9, options: withoutShare) == nil)
    var withoutRounding = options
    withoutRounding.regionRootHeuristic = nil
    #expect(GLPKSolver.rootRelaxationSeconds(columns: 9_818, share: 12.9, options: withoutRounding) == nil)
}

/// Beside a block whose search the regions' workers join, a region takes part of its share of the time, but a
/// rounded region's relaxation keeps what the whole share gives it (and the region that much more time).
@Test func besideAHelpedBlockARegionTakesPartOfItsShareButNotOfItsRelaxation() {
    var options = SolveOptions()
    #expect(GLPKSolver.regionTime(columns: 100, share: 40, effort: 0.5, options: options) == nil, "no stall rule")
    options.regionStallFraction = 0.25
    options.regionStallMinimumSeconds = 1
    func time(_ columns: Int, _ effort: Double) -> [Double?] {
        guard let t = GLPKSolver.regionTime(columns: columns, share: 40, effort: effort, options: options) else { return [] }
        return [t.seconds, t.stall, t.relaxation]
    }
    #expect(time(100, 1) == [40, 10, nil])
    #expect(time(100, 0.5) == [20, 5, nil])
    options.regionRootHeuristic = { _, _, _ in nil }
    options.regionRootHeuristicColumns = 50
    options.regionRootRelaxationShare = 0.5
    options.regionRootRelaxationColumns = 1_000
    // Rounded: its relaxation may take half of 40 s either way; at half the effort the region has 20 + 10 s.
    #expect(time(100, 1) == [40, 10, 20])
    #expect(time(100, 0.5) == [30, 7.5, 20])
    // Too small to be rounded, or too large for a relaxation of its own share: half the time.
    #expect(time(40, 0.5) == [20, 5, nil])
    #expect(time(2_000, 0.5) == [20, 5, nil])
    // A share under the stall minimum keeps the minimum.
    options.regionStallMinimumSeconds = 12
    #expect(time(100, 0.5) == [30, 12, 20])
}

/// A block with less time than the interior-point method would take skips it: the estimate passes through the
/// two blocks measured (5,000 x 700's 9.2 s, the national's 87 s) and grows with the block.
@Test func theInteriorPointsTimeIsEstimatedFromTheBlocksMeasured() {
    #expect(abs(GLPKSolver.interiorSecondsEstimate(columns: 107_255) - 9.2) < 1e-9)
    #expect((86.0...89.0).contains(GLPKSolver.interiorSecondsEstimate(columns: 534_227)))
    #expect(GLPKSolver.interiorSecondsEstimate(columns: 39_706) < 4)
    #expect(GLPKSolver.interiorSecondsEstimate(columns: 4) < 1e-3)
}
