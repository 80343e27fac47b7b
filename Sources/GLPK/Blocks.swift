import Foundation

/// A model whose constraint matrix falls apart into independent blocks once a few linking rows are set
/// aside: columns are joined when they share any other row. Branch-and-bound on the whole model has to
/// close every block's gap at once (its tree multiplies the blocks' trees); solved apart, each block's
/// search is small and two blocks run at the same time on two cores.
public struct ModelBlocks: Sendable {
    public struct Block: Sendable {
        /// Indices into the whole model, ascending.
        public var columns: [Int]
        public var rows: [Int]
    }

    public let blocks: [Block]
    public let linkingRows: [Int]
    /// The whole model, which a block's own model is cut from when asked for (`model(of:)`): copied out all
    /// at once, the blocks held a second copy of the model for the whole search, 1.5 GB more at the peak of
    /// a national programme with every pair eligible, whose largest block is never searched.
    public let whole: LinearModel
    /// The whole model's coefficients outside the linking rows, block by block (block b's from
    /// `coefficientStart[b]` to `coefficientStart[b + 1]`), each block's in the whole model's order.
    private let coefficientsByBlock: [Int32]
    private let coefficientStart: [Int]
    /// Each column's and row's index within its block.
    private let localColumn: [Int32]
    private let localRow: [Int32]

    /// The blocks' indices, smallest first (by columns, then index).
    var indicesBySize: [Int] {
        blocks.indices.sorted { (blocks[$0].columns.count, $0) < (blocks[$1].columns.count, $1) }
    }

    /// The number of columns of the largest block `init` would make, without copying any block out: a
    /// caller can size its work to the split before paying for it.
    public static func largestBlockColumns(_ model: LinearModel, linkingRows: [Int] = []) -> Int {
        columnsOfBlocks(model, linking: Set(linkingRows)).columnsOf.map(\.count).max() ?? 0
    }

    /// Each block's columns, ascending (blocks numbered by their lowest column, loose columns in the first),
    /// and each row's first column with a nonzero (-1 for none or a linking row).
    private static func columnsOfBlocks(_ model: LinearModel, linking: Set<Int>) -> (columnsOf: [[Int]], firstColumnOfRow: [Int]) {
        // Union-find over columns: every non-linking row joins its columns.
        var parent = Array(0..<model.columns.count)
        func root(_ j: Int) -> Int {
            var j = j
            while parent[j] != j { parent[j] = parent[parent[j]]; j = parent[j] }
            return j
        }
        var firstColumnOfRow = [Int](repeating: -1, count: model.rows.count)
        for c in model.coefficients where !linking.contains(c.row) && c.value != 0 {
            if firstColumnOfRow[c.row] < 0 { firstColumnOfRow[c.row] = c.column; continue }
            let a = root(firstColumnOfRow[c.row]), b = root(c.column)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        // Blocks numbered by their lowest column, so the split is the same on every run.
        var blockOfRoot: [Int: Int] = [:]
        var columnsOf: [[Int]] = []
        var loose: [Int] = []
        var inSomeRow = [Bool](repeating: false, count: model.columns.count)
        for c in model.coefficients where !linking.contains(c.row) && c.value != 0 { inSomeRow[c.column] = true }
        for j in model.columns.indices {
            guard inSomeRow[j] else { loose.append(j); continue }
            let r = root(j)
            if let b = blockOfRoot[r] { columnsOf[b].append(j) } else {
                blockOfRoot[r] = columnsOf.count
                columnsOf.append([j])
            }
        }
        if columnsOf.isEmpty { columnsOf = [loose] } else { columnsOf[0] = (columnsOf[0] + loose).sorted() }
        return (columnsOf, firstColumnOfRow)
    }

    /// Splits `model` into blocks; rows in `linkingRows` are left out of every block.
    /// Columns in no row join the first block (GLPK solves them with it at no cost).
    public init(_ model: LinearModel, linkingRows: [Int] = []) {
        let linking = Set(linkingRows)
        self.linkingRows = linkingRows.sorted()
        whole = model
        let (columnsOf, firstColumnOfRow) = Self.columnsOfBlocks(model, linking: linking)
        var isLinking = [Bool](repeating: false, count: model.rows.count)
        for r in linking where model.rows.indices.contains(r) { isLinking[r] = true }
        // Indices fit in 32 bits: GLPK's are C ints, so no model it takes has more columns or coefficients.
        var blockOfColumn = [Int32](repeating: 0, count: model.columns.count)
        for (b, columns) in columnsOf.enumerated() { for j in columns { blockOfColumn[j] = Int32(b) } }
        var rowsOf = [[Int]](repeating: [], count: columnsOf.count)
        var localColumn = [Int32](repeating: 0, count: model.columns.count)
        for columns in columnsOf { for (k, j) in columns.enumerated() { localColumn[j] = Int32(k) } }
        var localRow = [Int32](repeating: -1, count: model.rows.count)
        for r in model.rows.indices where !isLinking[r] {
            // A row with no columns carries no constraint worth a block; keep it with the first.
            let b = firstColumnOfRow[r] >= 0 ? Int(blockOfColumn[firstColumnOfRow[r]]) : 0
            localRow[r] = Int32(rowsOf[b].count)
            rowsOf[b].append(r)
        }
        // A counting sort of the coefficients by block, which keeps each block's in the model's order.
        var coefficientStart = [Int](repeating: 0, count: columnsOf.count + 1)
        for c in model.coefficients where !isLinking[c.row] { coefficientStart[Int(blockOfColumn[c.column]) + 1] += 1 }
        for b in columnsOf.indices { coefficientStart[b + 1] += coefficientStart[b] }
        var next = coefficientStart
        var coefficientsByBlock = [Int32](repeating: 0, count: coefficientStart[columnsOf.count])
        for (k, c) in model.coefficients.enumerated() where !isLinking[c.row] {
            let b = Int(blockOfColumn[c.column])
            coefficientsByBlock[next[b]] = Int32(k)
            next[b] += 1
        }
        blocks = columnsOf.indices.map { Block(columns: columnsOf[$0], rows: rowsOf[$0]) }
        self.coefficientStart = coefficientStart
        self.coefficientsByBlock = coefficientsByBlock
        self.localColumn = localColumn
        self.localRow = localRow
    }

    /// Block `b`'s own model: its columns and rows, with indices local to it.
    public func model(of b: Int) -> LinearModel {
        var coefficients: [Coefficient] = []
        coefficients.reserveCapacity(coefficientStart[b + 1] - coefficientStart[b])
        for k in coefficientsByBlock[coefficientStart[b]..<coefficientStart[b + 1]] {
            let c = whole.coefficients[Int(k)]
            coefficients.append(Coefficient(row: Int(localRow[c.row]), column: Int(localColumn[c.column]), value: c.value))
        }
        return LinearModel(name: "\(whole.name)_block\(b + 1)", direction: whole.direction,
                           objectiveConstant: b == 0 ? whole.objectiveConstant : 0,
                           columns: blocks[b].columns.map { whole.columns[$0] },
                           rows: blocks[b].rows.map { whole.rows[$0] },
                           coefficients: coefficients)
    }

    /// Block `b`'s objective at `values`, a solution of the whole model: `model(of: b).objectiveValue` of its
    /// part, without cutting the block out.
    public func objectiveValue(of b: Int, _ values: [Double]) -> Double {
        var objective = b == 0 ? whole.objectiveConstant : 0
        for j in blocks[b].columns { objective += whole.columns[j].objective * values[j] }
        return objective
    }
}

extension GLPKSolver {
    /// Solves `model` block by block (see `ModelBlocks`), `concurrency` blocks at a time, and combines the
    /// blocks' solutions. The blocks drop the linking rows, so together they solve a relaxation: when the
    /// combined solution also meets every linking row it is the whole model's answer (optimal when every
    /// block is); when it breaks one, the whole model is solved as one, and the log says so.
    /// A node limit applies to each block; a time limit and `shouldStop` to the whole.
    /// - Parameter blockSettings: search settings for each block when the model splits (the cores are then
    ///   busy with blocks, so `options.alongside` is dropped); a model that does not split is solved with
    ///   `options` as they are.
    public static func solveByBlocks(
        _ model: LinearModel, linkingRows: [Int], options: SolveOptions = SolveOptions(), blockSettings: SearchSettings? = nil,
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws -> Solution {
        // The clock starts before the split: at national size copying the blocks out takes seconds.
        let start = ContinuousClock.now
        // A linking row that binds is solved as one model, with the settings of a model that does not split (the
        // node heuristic plans the whole model's columns: it found the plan of a generated 430 x 65 whose budget
        // bound, where the same model split into regions with one large block did 0.27% worse in the same time).
        let binding = linkingRowLikelyToBind(model, linkingRows: linkingRows, start: options.startingSolution)
        let split = binding == nil ? ModelBlocks(model, linkingRows: linkingRows) : nil
        guard let split, split.blocks.count > 1 else {
            var options = options
            options.timeLimitSeconds = options.timeLimitSeconds.map { max(0.001, $0 - secondsSince(start)) }
            // Too large for the tree, its search starts from its interior rounding, as such a block's does; but
            // not with the linking row that binds, which holds every column: on a generated 5,000 x 700 whose
            // budget binds, the method did not finish in the 85 s left (9 s on the same model split), and the
            // heuristic's plan was kept with no search at all.
            options.interiorRoot = options.timeLimitSeconds != nil && options.isTooLargeToSearch(columns: model.columns.count)
                && model.columns.count > options.interiorRootColumns && binding == nil
            var whole = try solve(model, options: options)
            if let binding { whole.log = "Solved as one model: row \(binding.name) \(binding.reason), so the blocks apart would break it.\n" + whole.log }
            return whole
        }
        // A re-solve as one runs its search to the limit; regions stall by their own rule, or not at all.
        var asOne = options
        asOne.stallSeconds = nil
        asOne.stallSearch = nil
        var perBlock = asOne
        perBlock.stallSearch = options.regionStallFraction == nil ? nil : options.stallSearch
        perBlock.alongside = nil
        // The heuristic plans the whole model's columns; a block has only its own.
        perBlock.nodeHeuristic = nil
        if let blockSettings { perBlock.searchSettings = blockSettings }
        let options = perBlock
        let deadline = options.timeLimitSeconds.map { start + .milliseconds(Int64($0 * 1000)) }
        let progress = CombinedProgress(split, startingSolution: options.progress == nil ? nil : options.startingSolution,
                                        start: start, report: options.progress)
        let kept = KeptStart(split, options: options)
        // Smallest blocks first: they are usually proven at once, and under a time limit the time they
        // leave goes to the large ones. Largest first left the last small blocks too little time for even
        // their LP relaxation (a 448-column block of a generated 430 x 65 at --time-limit 20), and without
        // every block's bound the plan had no gap.
        var order = split.indicesBySize
        let workers = max(1, min(concurrency, split.blocks.count))
        // A block too large for the tree whose neighbourhood search improves it as long as it runs gets a worker
        // of its own from the start, to the deadline; the other blocks share the other workers' time.
        let dedicated = dedicatedBlock(split, workers: workers, options: options)
        if let dedicated { order.removeAll { $0 == dedicated } }
        let sharing = dedicated == nil ? workers : workers - 1
        let results = BlockResults(count: split.blocks.count)
        let queue = WorkQueue(order, sizes: split.blocks.map { timeWeight(columns: $0.columns.count, options: options) })
        // Beside such a block the regions take part of their time, and the first worker done with them joins its search.
        let help = dedicated == nil ? nil : SearchHelp()
        @Sendable func solveAndKeep(_ b: Int, timeShare: Double?) {
            var blockOptions = options
            if b == dedicated { blockOptions.searchHelp = help }
            let result = Result { try solveBlock(split, index: b, kept: kept, options: blockOptions,
                                                 deadline: deadline, timeShare: timeShare,
                                                 effort: help == nil || b == dedicated ? 1 : regionsEffortBesideHelp, progress: progress) }
            if case .success(let answer) = result { progress.finished(block: b, answer) }
            results.set(b, result)
        }
        // Threads of our own: GCD may run "concurrent" iterations one after another on a busy pool.
        let finished = DispatchSemaphore(value: 0)
        if let b = dedicated {
            Thread {
                solveAndKeep(b, timeShare: 1)
                help?.finish()
                finished.signal()
            }.start()
        }
        for _ in 0..<sharing {
            Thread {
                while let b = queue.next() {
                    solveAndKeep(b, timeShare: options.timeLimitSeconds == nil ? nil : queue.timeShare(of: b, workers: sharing))
                }
                help?.help()
                finished.signal()
            }.start()
        }
        for _ in 0..<workers { finished.wait() }
        var solutions: [Solution] = []
        for b in split.blocks.indices { solutions.append(try results.get(b)) }
        var combined = combine(solutions, split: split, model: model)
        combined.seconds = secondsSince(start)
        // An infeasible relaxation means an infeasible model; no solution yet means none within the limit.
        guard combined.status == .optimal || combined.status == .feasible,
              let broken = combined.brokenLinkingRow(of: model, split: split) else { return combined }
        // In the time left: a time limit holds for the whole solve (the re-solve used to get all of it again,
        // and a generated 430 x 65 with a budget that bound ended in twice its limit).
        asOne.timeLimitSeconds = deadline.map { max(0.001, -secondsSince($0)) }
        var whole = try solve(model, options: asOne)
        whole.log = "Solved in \(split.blocks.count) independent blocks, but together they break row \(broken); solved as one model.\n" + whole.log
        whole.seconds += combined.seconds
        return whole
    }

    /// Whether `solveByBlocks` will solve the model as one from this starting solution (a linking row likely
    /// binds): the largest block it searches is then the whole model.
    public static func solvesWhole(_ model: LinearModel, linkingRows: [Int], start: [Double]) -> Bool {
        linkingRowLikelyToBind(model, linkingRows: linkingRows, start: start) != nil
    }

    /// A linking row the blocks' combined answer would likely break, and why: one that the starting solution
    /// nearly fills (within 5% of its bound, or of its largest coefficient), or, without a starting solution,
    /// one that the columns' bounds allow to be broken at all (a heuristic that found no plan under a budget
    /// had most often run out of money). The blocks drop the linking rows, so their combined answer would
    /// then break the row and the whole model be solved again after them: a generated 430 x 65 whose budget
    /// bound spent its whole time limit on blocks whose plan overspent, then as much again on the model as one.
    static func linkingRowLikelyToBind(_ model: LinearModel, linkingRows: [Int], start: [Double]?) -> LikelyBindingRow? {
        guard !linkingRows.isEmpty else { return nil }
        let linking = Set(linkingRows)
        guard let start, start.count == model.columns.count else {
            // The least and most each row can reach within the columns' bounds (infinite when a bound is missing).
            var least = [Double](repeating: 0, count: model.rows.count), most = least
            for c in model.coefficients where linking.contains(c.row) && c.value != 0 {
                let column = model.columns[c.column], binary = column.kind == .binary
                let lower = binary ? max(0, column.lower ?? 0) : column.lower ?? -.infinity
                let upper = binary ? min(1, column.upper ?? 1) : column.upper ?? .infinity
                least[c.row] += c.value > 0 ? c.value * lower : c.value * upper
                most[c.row] += c.value > 0 ? c.value * upper : c.value * lower
            }
            let breakable = linkingRows.sorted().first { r in
                model.rows[r].upper.map { most[r] > $0 } == true || model.rows[r].lower.map { least[r] < $0 } == true
            }
            return breakable.map { LikelyBindingRow(name: model.rows[$0].name, reason: "may be broken and there is no starting solution to judge it by") }
        }
        let activity = model.rowActivities(start)
        var largest = [Double](repeating: 0, count: model.rows.count)
        for c in model.coefficients where linking.contains(c.row) { largest[c.row] = max(largest[c.row], abs(c.value)) }
        for r in linkingRows.sorted() {
            let row = model.rows[r]
            func near(_ bound: Double) -> Bool { abs(bound - activity[r]) <= max(0.05 * abs(bound), largest[r]) }
            if let upper = row.upper, near(upper) {
                return LikelyBindingRow(name: row.name, reason: String(format: "is nearly full in the starting solution (%.2f of %.2f)", activity[r], upper))
            }
            if let lower = row.lower, near(lower) {
                return LikelyBindingRow(name: row.name, reason: String(format: "is nearly at its lower bound in the starting solution (%.2f of %.2f)", activity[r], lower))
            }
        }
        return nil
    }

    struct LikelyBindingRow {
        let name: String
        let reason: String
    }

    /// The part of its share of the time a region takes beside a block with a worker of its own, whose search
    /// a worker done with the regions then joins (`regionTime`, `SearchHelp`).
    static let regionsEffortBesideHelp = 0.5

    /// The block that gets a worker of its own (`solveByBlocks`): with a time limit and two workers or more, the
    /// largest block too large for the tree, when the neighbourhood search improves such blocks.
    static func dedicatedBlock(_ split: ModelBlocks, workers: Int, options: SolveOptions) -> Int? {
        guard workers >= 2, options.timeLimitSeconds != nil, options.largeModelSearch != nil,
              let largest = split.indicesBySize.last, options.isTooLargeToSearch(columns: split.blocks[largest].columns.count) else { return nil }
        return largest
    }

    /// What a block weighs in the shares of the time: its columns, or nothing when it is too large to search
    /// and has no neighbourhood search, so keeps its start at once. Counted, such a block left the blocks
    /// before it a fraction of the time: a national programme's 534,227-column region weighed 77% of every
    /// share, its 11,000-40,000-column regions did not finish their LP relaxation, and the solve ended with a
    /// third of its limit unused.
    static func timeWeight(columns: Int, options: SolveOptions) -> Int {
        options.isTooLargeToSearch(columns: columns) && options.largeModelSearch == nil ? 0 : columns
    }

    /// How long a region's relaxation may take under a time limit when its root is rounded into a plan:
    /// `regionRootRelaxationShare` of its share of the time, at least its stall time; nil (the stall time)
    /// for other regions. Seed 2 of a generated 1,000 x 150 lost its 9,818-column region's rounding when the
    /// dual simplex needed 6,930 iterations and the stall time of 4 s cut it at 6,840.
    static func rootRelaxationSeconds(columns: Int, share: Double, options: SolveOptions) -> Double? {
        guard options.roundsRegionRoot(columns: columns),
              columns <= options.regionRootRelaxationColumns, let fraction = options.regionRootRelaxationShare,
              let stall = options.stallSeconds else { return nil }
        return max(stall, fraction * share)
    }

    /// A region's time under a stall rule (nil without one), given its `share` of the time left: how long it may
    /// take, its stall time and how long its relaxation may take. With `effort` under 1 (beside a block whose
    /// search the regions' workers then join) it takes that part of its share, except that a rounded region's
    /// relaxation keeps what the whole share gives it: given half the time, a national region of 34,689 columns
    /// lost its rounded root and 788,000 points.
    static func regionTime(columns: Int, share: Double, effort: Double, options: SolveOptions) -> (seconds: Double, stall: Double, relaxation: Double?)? {
        guard let fraction = options.regionStallFraction else { return nil }
        func stall(_ seconds: Double) -> Double { max(options.regionStallMinimumSeconds, fraction * seconds) }
        var asked = options
        asked.stallSeconds = stall(share)
        let relaxation = rootRelaxationSeconds(columns: columns, share: share, options: asked)
        guard effort < 1 else { return (share, stall(share), relaxation) }
        let seconds = effort * share + (1 - effort) * (relaxation ?? 0)
        return (seconds, stall(seconds), relaxation.map { min($0, seconds) })
    }

    private static func solveBlock(_ split: ModelBlocks, index: Int, kept: KeptStart?, options: SolveOptions,
                                   deadline: ContinuousClock.Instant?, timeShare: Double?, effort: Double = 1,
                                   progress: CombinedProgress) throws -> Solution {
        let block = split.blocks[index], totalColumns = split.whole.columns.count
        var blockOptions = options
        if let deadline {
            // Each block gets the share of the time left that its size asks for, so a large block cannot
            // leave the blocks after it no time for their LP.
            let share = max(0.001, -secondsSince(deadline) * (timeShare ?? 1))
            blockOptions.timeLimitSeconds = share
            if let region = regionTime(columns: block.columns.count, share: share, effort: effort, options: options) {
                blockOptions.timeLimitSeconds = region.seconds
                blockOptions.stallSeconds = region.stall
                blockOptions.relaxationSeconds = region.relaxation
                if block.columns.count <= options.regionStallMaxGapColumns, let maxGap = options.regionStallMaxGap {
                    blockOptions.stallMaxGap = maxGap
                    // A small region still far from its bound when its share ends keeps its tree for up to as
                    // long again, until it is within that gap: the blocks after it share what is left.
                    blockOptions.softTimeLimitSeconds = region.seconds
                    blockOptions.timeLimitSeconds = min(max(0.001, -secondsSince(deadline)), 2 * region.seconds)
                }
            }
        }
        if let whole = options.stallSearch {
            let columns = block.columns
            blockOptions.stallSearch = { @Sendable in whole().restricted(to: columns, totalColumns: totalColumns) }
        }
        if let values = options.startingSolution { blockOptions.startingSolution = block.columns.map { values[$0] } }
        if let rootPlan = options.regionRootHeuristic, options.roundsRegionRoot(columns: block.columns.count) {
            let columns = block.columns
            var once = NodeHeuristic(every: .max) { _, _ in nil }
            once.atRoot = { relaxation, deadline in rootPlan(columns, relaxation, deadline) }
            blockOptions.nodeHeuristic = once
            blockOptions.interiorRoot = columns.count > options.interiorRootColumns
        }
        blockOptions.neighbourhoodSearch = options.neighbourhoodSearch?.restricted(to: block.columns, totalColumns: totalColumns)
        // Only a block over the searched size uses it; restricting it costs a sweep of the whole model's columns.
        let large = options.isTooLargeToSearch(columns: block.columns.count)
        blockOptions.largeModelSearch = large ? options.largeModelSearch?.restricted(to: block.columns, totalColumns: totalColumns) : nil
        if options.progress != nil {
            blockOptions.progress = { @Sendable p in progress.update(block: index, p) }
        }
        // Which region had how long, beside where the gap lies (the header's plan and bound).
        func withShare(_ answer: Solution) -> Solution {
            guard let share = blockOptions.softTimeLimitSeconds ?? blockOptions.timeLimitSeconds else { return answer }
            var answer = answer
            answer.log = String(format: "Searched %.2f s of a %.2f s share of the time.\n", answer.seconds, share) + answer.log
            return answer
        }
        // A block too large to search keeps its start (`KeptStart` exists only without a search to improve it):
        // its own model is cut out only when the start does not fit.
        if let answer = kept?.answer(block: index) { return withShare(answer) }
        let model = split.model(of: index)
        guard let answers = options.blockAnswers, let question = BlockAnswers.Question(model, options: blockOptions) else {
            return withShare(try solve(model, options: blockOptions))
        }
        if let answer = answers.answer(to: question) { return answer }
        let answer = try solve(model, options: blockOptions)
        // A search that Ctrl-C cut short is not the answer the question has.
        if options.shouldStop?() != true { answers.keep(answer, for: question) }
        return answer
    }

    static func combine(_ solutions: [Solution], split: ModelBlocks, model: LinearModel) -> Solution {
        let statuses = solutions.map(\.status)
        var log = "Solved in \(split.blocks.count) independent blocks (rows \(split.linkingRows.map(String.init).joined(separator: ", ")) link them).\n"
        for (b, solution) in solutions.enumerated() {
            // Each block's plan and bound, so the log shows where the whole's gap lies.
            let figures = [solution.objective.map { String(format: "plan %.2f", $0) }, solution.bestBound.map { String(format: "bound %.2f", $0) }]
                .compactMap { $0 }.map { ", " + $0 }.joined()
            log += "--- block \(b + 1): \(split.blocks[b].columns.count) columns, \(split.blocks[b].rows.count) rows, \(solution.status.rawValue), \(solution.nodes) nodes\(figures)\n" + solution.log
        }
        let timeLimited = solutions.contains { $0.stoppedByTimeLimit }
        if let bad = statuses.first(where: { $0 == .infeasible || $0 == .unbounded }) {
            return Solution(status: bad, seconds: 0, log: log, stoppedByTimeLimit: timeLimited)
        }
        if statuses.contains(.noSolution) {
            var none = Solution(status: .noSolution, seconds: 0, log: log, stoppedByTimeLimit: timeLimited)
            none.stoppedByNodeLimit = solutions.contains { $0.stoppedByNodeLimit }
            return none
        }
        var columns = [Double](repeating: 0, count: model.columns.count)
        var rows = [Double](repeating: 0, count: model.rows.count)
        for (b, solution) in solutions.enumerated() {
            for (k, j) in split.blocks[b].columns.enumerated() { columns[j] = solution.columnValues[k] }
            for (k, r) in split.blocks[b].rows.enumerated() where k < solution.rowValues.count { rows[r] = solution.rowValues[k] }
        }
        for c in model.coefficients where split.linkingRows.contains(c.row) { rows[c.row] += c.value * columns[c.column] }
        let objective = solutions.reduce(0) { $0 + ($1.objective ?? 0) }
        // A block answered from its starting solution alone (time ran out) has no bound: then neither has the whole.
        let bound: Double? = solutions.allSatisfy { $0.bestBound != nil } ? solutions.reduce(0) { $0 + $1.bestBound! } : nil
        let optimal = statuses.allSatisfy { $0 == .optimal }
        var result = Solution(status: optimal ? .optimal : .feasible, objective: objective, bestBound: optimal ? objective : bound,
                              gap: optimal ? 0 : bound.map { abs(objective - $0) / (1e-9 + abs(objective)) },
                              columnValues: columns, rowValues: rows, log: log, stoppedByTimeLimit: timeLimited)
        result.nodes = solutions.reduce(0) { $0 + $1.nodes }
        result.stoppedByNodeLimit = solutions.contains { $0.stoppedByNodeLimit }
        result.blockBounds = zip(split.blocks, solutions).map { BlockBound(columns: $0.columns, bound: $1.bestBound) }
        return result
    }
}

/// The whole model's starting solution, checked once, for the blocks too large to search: each keeps its part
/// of it as its answer (`GLPKSolver.keep`), given here from the whole model without cutting the block out. A
/// start that fits the whole model fits every block (a block's rows are rows of the whole, with the same
/// coefficients in the same order), so the answer is the one the block's own model gives, to the bit; when the
/// whole start does not fit, there is no `KeptStart` and each block checks its own part.
struct KeptStart: Sendable {
    private let split: ModelBlocks
    private let largest: Int
    /// The start as GLPK is given it (integer columns rounded), and the rows' activities there.
    private let values: [Double]
    private let activities: [Double]

    init?(_ split: ModelBlocks, options: SolveOptions) {
        guard options.largeModelSearch == nil, let largest = options.largestSearchedColumns,
              split.blocks.contains(where: { $0.columns.count > largest }), let start = options.startingSolution,
              let checked = try? split.whole.checkedStartingSolution(start), let values = checked.values else { return nil }
        self.split = split
        self.largest = largest
        self.values = values
        activities = checked.activities
    }

    /// Block `b`'s answer when it is too large to search, else nil.
    func answer(block b: Int) -> Solution? {
        let block = split.blocks[b]
        guard block.columns.count > largest else { return nil }
        return Solution(status: .feasible, objective: split.objectiveValue(of: b, values), columnValues: block.columns.map { values[$0] },
                        rowValues: block.rows.map { activities[$0] }, log: GLPKSolver.notSearched(columns: block.columns.count, largest: largest))
    }
}

extension Solution {
    /// The first linking row whose activity lies outside its bounds, or nil.
    func brokenLinkingRow(of model: LinearModel, split: ModelBlocks) -> String? {
        for r in split.linkingRows {
            let row = model.rows[r], value = rowValues[r]
            let tolerance = 1e-6 * max(1, abs(value))
            if let lower = row.lower, value < lower - tolerance { return row.name }
            if let upper = row.upper, value > upper + tolerance { return row.name }
        }
        return nil
    }
}

/// Sums the blocks' latest incumbents and bounds into one progress line for the whole model. A block
/// not searched yet counts with its part of the starting plan, so the line shows a plan from the first
/// block on (a national programme's regions are searched for minutes, smallest first); the bound waits for
/// every block's own. Each finished block reports its answer, which a tree's last line may not have shown.
final class CombinedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [SolveProgress?]
    /// Each block's objective at the starting plan, when there is one.
    private let startObjectives: [Double]?
    private var doneCount = 0
    private var lastFinishedLine: ContinuousClock.Instant?
    private let start: ContinuousClock.Instant
    private let report: (@Sendable (SolveProgress) -> Void)?

    init(_ split: ModelBlocks, startingSolution: [Double]?, start: ContinuousClock.Instant,
         report: (@Sendable (SolveProgress) -> Void)?) {
        latest = Array(repeating: nil, count: split.blocks.count)
        startObjectives = startingSolution.map { values in split.blocks.indices.map { split.objectiveValue(of: $0, values) } }
        self.start = start
        self.report = report
    }

    func update(block: Int, _ progress: SolveProgress) {
        lock.withLock {
            latest[block] = progress
            reportLine()
        }
    }

    /// A block's answer: its plan and bound, and one more block done. Small blocks finish by the hundred in a
    /// second, so their lines come at most five a second, and the last block's always.
    func finished(block: Int, _ answer: Solution) {
        guard report != nil else { return }
        lock.withLock {
            latest[block] = SolveProgress(incumbent: answer.objective, bound: answer.bestBound, elapsedSeconds: 0)
            doneCount += 1
            let now = ContinuousClock.now
            guard doneCount == latest.count || lastFinishedLine.map({ now - $0 >= .milliseconds(200) }) ?? true else { return }
            lastFinishedLine = now
            reportLine()
        }
    }

    /// Under the lock, so that lines from two blocks' threads do not interleave.
    private func reportLine() {
        guard let report else { return }
        var incumbent: Double? = 0, bound: Double? = 0
        for b in latest.indices {
            let own = latest[b]
            if let i = incumbent { incumbent = (own?.incumbent ?? startObjectives?[b]).map { i + $0 } }
            if let s = bound { bound = own?.bound.map { s + $0 } }
        }
        let gap = incumbent.flatMap { i in bound.map { abs(i - $0) / (1e-9 + abs(i)) } }
        report(SolveProgress(incumbent: incumbent, bound: bound, gap: gap, elapsedSeconds: secondsSince(start),
                             blocksDone: doneCount, blocks: latest.count))
    }
}

/// Seconds from `instant` to now (negative when `instant` is still ahead).
private func secondsSince(_ instant: ContinuousClock.Instant) -> Double { seconds(ContinuousClock.now - instant) }

/// Hands out blocks in the order given, and the share of the remaining time each one may use.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int]
    private let sizes: [Int]
    private var sizeLeft: Int
    init(_ items: [Int], sizes: [Int]) {
        self.items = items.reversed()
        self.sizes = sizes
        sizeLeft = items.reduce(0) { $0 + sizes[$1] }
    }
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard let b = items.popLast() else { return nil }
        return b
    }
    /// With `workers` solving side by side, block `b` may use this fraction of the time left.
    func timeShare(of b: Int, workers: Int) -> Double {
        lock.lock(); defer { lock.unlock() }
        let share = min(1, Double(workers) * Double(max(1, sizes[b])) / Double(max(1, sizeLeft)))
        sizeLeft -= sizes[b]
        return share
    }
}

private final class BlockResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Solution, Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ b: Int, _ result: Result<Solution, Error>) { lock.lock(); results[b] = result; lock.unlock() }
    func get(_ b: Int) throws -> Solution { lock.lock(); defer { lock.unlock() }; return try results[b]!.get() }
}

/// Answers of block searches already made, for a caller that solves many models sharing most of their
/// blocks: `sensitivity` re-solves the programme once per adviser, and an adviser's absence changes only
/// the region they work in. Only a search that nothing but its node limit can stop is kept (no time limit,
/// no neighbourhood search, no heuristic of the caller's own): its answer is then a function of the block's
/// model, its starting solution and its settings, so a kept answer is the one a new search would give.
public final class BlockAnswers: @unchecked Sendable {
    struct Question: Hashable {
        var model: LinearModel
        var start: [Double]?
        var settings: SearchSettings
        var presolve: Bool, feasibilityPump: Bool, proximitySearch: Bool
        var relativeGap: Double
        var nodeLimit: Int?

        /// nil when the search could end otherwise than by its own rules and node limit, or when there is no
        /// search to save (a block too large for branch-and-bound keeps its start, and would hold its whole
        /// model in memory for nothing).
        init?(_ model: LinearModel, options: SolveOptions) {
            guard !options.isTooLargeToSearch(columns: model.columns.count),
                  options.timeLimitSeconds == nil, options.stallSeconds == nil, options.stallSearch == nil,
                  options.neighbourhoodSearch == nil, options.largeModelSearch == nil, options.nodeHeuristic == nil,
                  options.alongside == nil else { return nil }
            self.model = model
            start = options.startingSolution
            settings = options.searchSettings
            presolve = options.presolve; feasibilityPump = options.feasibilityPump; proximitySearch = options.proximitySearch
            relativeGap = options.relativeGap
            nodeLimit = options.nodeLimit
        }
    }

    private let lock = NSLock()
    private var answers: [Question: Solution] = [:]
    private var reuses = 0

    public init() {}

    /// How many block searches were answered from an earlier one.
    public var reused: Int { lock.withLock { reuses } }

    func answer(to question: Question) -> Solution? {
        lock.withLock {
            guard let answer = answers[question] else { return nil }
            reuses += 1
            return answer
        }
    }

    func keep(_ answer: Solution, for question: Question) {
        lock.withLock { answers[question] = answer }
    }
}
