// Plain value types describing a linear/mixed-integer model and how to solve it.
// Nothing here touches GLPK; Problem turns a LinearModel into a glp_prob.

public enum GLPKError: Error, Equatable, CustomStringConvertible {
    /// GLPK reported an internal error (message from GLPK). The thread's GLPK
    /// environment was reset, so every Problem of that thread is now unusable.
    /// Also used, with a message saying so, when a GLPK solver routine returns a
    /// failure code (e.g. numerical failure); the environment is intact then.
    case internalError(String)
    /// This problem was freed by an earlier internal error on this thread.
    case problemInvalidated
    /// Caught in Swift before reaching GLPK (NaN, lower > upper, bad index, misuse).
    case invalidModel(String)
    case writeFailed(path: String, message: String)

    public var description: String {
        switch self {
        case .internalError(let message): return "GLPK internal error: \(message)"
        case .problemInvalidated:
            return "GLPK problem was invalidated by an earlier internal error on this thread"
        case .invalidModel(let message): return "invalid model: \(message)"
        case .writeFailed(let path, let message): return "could not write \(path): \(message)"
        }
    }
}

public enum OptimizationDirection: Sendable, Hashable {
    case minimize, maximize

    /// Whether a plan of objective `candidate` beats one of `incumbent`, by more than rounding.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        let sign: Double = self == .minimize ? 1 : -1
        return sign * (candidate - incumbent) < -1e-9 * max(1, abs(incumbent))
    }
}

public enum ColumnKind: Sendable, Hashable {
    case continuous
    case integer
    /// Integer with bounds intersected with [0, 1].
    case binary
}

public struct Column: Sendable, Hashable {
    /// GLPK allows at most 255 bytes without control characters; longer names
    /// are truncated and control characters replaced by "_" when building.
    public var name: String
    public var kind: ColumnKind
    /// nil = unbounded on that side. Integer bounds are rounded inward.
    public var lower: Double?
    public var upper: Double?
    public var objective: Double

    public init(
        name: String, kind: ColumnKind = .continuous, lower: Double? = 0, upper: Double? = nil,
        objective: Double = 0
    ) {
        self.name = name
        self.kind = kind
        self.lower = lower
        self.upper = upper
        self.objective = objective
    }
}

public struct Row: Sendable, Hashable {
    public var name: String
    /// nil = unbounded on that side; lower == upper means equality.
    public var lower: Double?
    public var upper: Double?

    public init(name: String, lower: Double? = nil, upper: Double? = nil) {
        self.name = name
        self.lower = lower
        self.upper = upper
    }
}

public struct Coefficient: Sendable, Hashable {
    /// 0-based indices into LinearModel.rows / LinearModel.columns, held in 32 bits: GLPK's indices are C ints,
    /// and a national model has 20 million coefficients, 165 MB fewer at 16 bytes each than at 24. An index
    /// past 32 bits is held as the largest there is, which no model reaches, so `Problem` refuses it by name.
    private var storedRow: Int32
    private var storedColumn: Int32
    public var value: Double

    public var row: Int {
        get { Int(storedRow) }
        set { storedRow = Int32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(row: Int, column: Int, value: Double) {
        storedRow = Int32(clamping: row)
        storedColumn = Int32(clamping: column)
        self.value = value
    }
}

public struct LinearModel: Sendable, Hashable {
    public var name: String
    public var direction: OptimizationDirection
    public var objectiveConstant: Double
    public var columns: [Column]
    public var rows: [Row]
    public var coefficients: [Coefficient]

    public init(
        name: String, direction: OptimizationDirection, objectiveConstant: Double = 0,
        columns: [Column] = [], rows: [Row] = [], coefficients: [Coefficient] = []
    ) {
        self.name = name
        self.direction = direction
        self.objectiveConstant = objectiveConstant
        self.columns = columns
        self.rows = rows
        self.coefficients = coefficients
    }

    /// True when any column is integer or binary.
    public var isInteger: Bool { columns.contains { $0.kind != .continuous } }
}

public struct CutOptions: Sendable, Hashable {
    /// Gomory's mixed integer cuts, made by the shim (CGLPK/gomory.c): the cuts GLPK's own generator makes,
    /// at the same nodes, without re-reading the constraint matrix for every cut.
    public var gomory: Bool
    /// The same cuts through GLPK's own generator: kept to check the shim's cuts against.
    public var gomoryByGLPK = false
    public var mixedIntegerRounding: Bool
    public var cover: Bool
    public var clique: Bool
    /// Lifted knapsack cover cuts of our own (CGLPK's covers.c), from every row that is or relaxes to a
    /// 0-1 knapsack, at every node: GLPK's cover generator tries covers of at most three binaries, which
    /// leaves generalized assignment models' bound low. Off by default: the allocation's rows gave not one
    /// violated cover (generated 430 x 65, knowsley-pathways).
    public var liftedCovers: Bool

    public init(gomory: Bool = true, mixedIntegerRounding: Bool = true, cover: Bool = true, clique: Bool = true, liftedCovers: Bool = false) {
        self.gomory = gomory
        self.mixedIntegerRounding = mixedIntegerRounding
        self.cover = cover
        self.clique = clique
        self.liftedCovers = liftedCovers
    }

    /// Separation rounds of the lifted covers at the root and at every other node. Measured on OR-Library
    /// gapd-3 (30 s): 6,439 without, 6,416 with one round per node, 6,395 with three.
    static let liftedCoverRounds = (root: 50, node: 3)

    public static let none = CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false)
    /// GLPK's clique cuts alone: cheap, and what near-integral assignment programs need.
    public static let cliquesOnly = CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: true)
    public static let all = CutOptions()
}

/// Branching technique of glp_intopt (iocp.br_tech).
public enum BranchingRule: Sendable, Hashable {
    /// First fractional variable (GLP_BR_FFV).
    case firstFractional
    /// Last fractional variable (GLP_BR_LFV).
    case lastFractional
    /// Most fractional variable (GLP_BR_MFV).
    case mostFractional
    /// Heuristic by Driebeck and Tomlin (GLP_BR_DTH), GLPK's default, with the choice made by the shim
    /// (CGLPK/branching.c): the same column and branch as GLPK's own code, the whole solve about 30% sooner
    /// on knowsley-pathways and the generated 1,000 x 150.
    case driebeckTomlin
    /// The same rule through GLPK's own code, which reads the constraint matrix again for every candidate
    /// column: kept to check the shim's choices against.
    case driebeckTomlinByGLPK
    /// Hybrid pseudocost (GLP_BR_PCH).
    case pseudocost
}

/// Backtracking technique of glp_intopt (iocp.bt_tech).
public enum BacktrackingRule: Sendable, Hashable {
    /// Depth first search (GLP_BT_DFS).
    case depthFirst
    /// Breadth first search (GLP_BT_BFS).
    case breadthFirst
    /// Best local bound (GLP_BT_BLB), GLPK's default.
    case bestLocalBound
    /// Best projection heuristic (GLP_BT_BPH).
    case bestProjection
    /// Best projection, except that every `every`-th backtrack goes to the active node with the best local
    /// bound (the shim, at GLP_ISELECT): the dives look for plans, and the nodes near the root that best
    /// projection leaves open, which hold the bound down, are taken up in turn. With `whenStale`, once that
    /// many backtracks have gone by without a better plan, every backtrack goes there until one comes.
    case bestProjectionAndBound(every: Int, whenStale: Int? = nil)
}

public struct SolveProgress: Sendable {
    public var incumbent: Double?
    public var bound: Double?
    public var gap: Double?
    public var elapsedSeconds: Double
    /// For a model solved in independent blocks: how many are done, of how many (nil otherwise).
    public var blocksDone: Int?
    public var blocks: Int?

    public init(incumbent: Double? = nil, bound: Double? = nil, gap: Double? = nil, elapsedSeconds: Double,
                blocksDone: Int? = nil, blocks: Int? = nil) {
        self.incumbent = incumbent
        self.bound = bound
        self.gap = gap
        self.elapsedSeconds = elapsedSeconds
        self.blocksDone = blocksDone
        self.blocks = blocks
    }
}

/// How one branch-and-cut run searches: which cut generators, branching and backtracking.
public struct SearchSettings: Sendable, Hashable {
    public var cuts: CutOptions
    public var branching: BranchingRule
    public var backtracking: BacktrackingRule
    public init(cuts: CutOptions, branching: BranchingRule, backtracking: BacktrackingRule) {
        self.cuts = cuts; self.branching = branching; self.backtracking = backtracking
    }
}

public struct SolveOptions: Sendable {
    /// Wall-clock budget shared by the LP relaxation and branch-and-bound.
    public var timeLimitSeconds: Double? = nil
    /// Relative MIP gap at which to stop (GLPK mip_gap).
    public var relativeGap: Double = 0
    /// LP presolver for glp_simplex (the MIP search itself starts from that LP basis).
    public var presolve: Bool = true
    public var cuts: CutOptions = .all
    public var feasibilityPump: Bool = true
    public var proximitySearch: Bool = false
    public var branching: BranchingRule = .driebeckTomlin
    public var backtracking: BacktrackingRule = .bestLocalBound
    /// Stop the search once no better plan has been found for this many seconds (the caller then spends
    /// the rest of its time otherwise); nil: never. With a starting plan the root's relaxation counts too:
    /// one that takes longer stops the search with that plan. Like a time limit, machine-dependent.
    public var stallSeconds: Double? = nil
    /// With `stallSeconds`: the search stalls only while its relative gap is at most this; nil: at any gap.
    public var stallMaxGap: Double? = nil
    /// Below `timeLimitSeconds` (then the hard end): from here the tree ends as soon as its relative gap is
    /// at most `stallMaxGap` (at once without it), as a time limit ends it; nil: none.
    public var softTimeLimitSeconds: Double? = nil
    /// Column values of a known feasible integer solution. Checked in Swift
    /// (GLPK does not check feasibility) and ignored, with a log note, if infeasible.
    public var startingSolution: [Double]? = nil
    /// Called at most every progressInterval seconds, on the solving thread.
    public var progress: (@Sendable (SolveProgress) -> Void)? = nil
    public var progressInterval: Double = 1.0
    /// Polled during branch-and-bound; true stops the search, keeping the best solution.
    public var shouldStop: (@Sendable () -> Bool)? = nil
    /// A MIP stopped before it starts still solves its LP relaxation for a bound, for at most this long
    /// (the simplex cannot be interrupted); then the starting solution is the answer. A MIP large enough for
    /// the dual simplex (over 5,000 columns) skips it: its relaxation does not finish in such a time.
    public var relaxationSecondsWhenStopped: Double = 1
    /// Stops branch-and-bound once this many nodes were created, keeping the best solution. Unlike a
    /// time limit it gives the same answer on any machine.
    public var nodeLimit: Int? = nil
    /// Improves the starting solution by large-neighbourhood search before branch-and-bound (needs a starting solution).
    public var neighbourhoodSearch: NeighbourhoodSearch? = nil
    /// Other settings run at the same time on a second thread (a portfolio of two): when this run proves
    /// optimality its answer is taken at once; otherwise the better of the two, each run to its own end.
    /// Each run is deterministic under a node limit, so the choice is too.
    public var alongside: SearchSettings? = nil
    /// For one core: run `alongside` after this run instead of beside it. This run gets at most this many
    /// nodes and half the time; when it has not proven the answer, the other settings go on from its best
    /// plan with what is left (a node limit counts the nodes of both).
    public var alongsideInTurnAfterNodes: Int? = nil
    /// Models (and blocks) with more columns than this are not handed to GLPK when the starting solution
    /// is a feasible plan: it is returned as it is, without a bound. GLPK's simplex does not finish the LP
    /// relaxation of such a model within minutes, and loading it alone takes seconds and gigabytes, so the
    /// time goes further in the caller's own heuristic. Nil: every model is searched.
    public var largestSearchedColumns: Int? = nil
    /// Under a time limit, seconds past it that a solve waits for GLPK before answering without it: for a
    /// neighbourhood search running beside its tree (`NeighbourhoodSearch.concurrent`), and for the tree itself,
    /// which is left at GLPK's next line of output (a node LP that never ends prints one every 0.5 s once it
    /// has run `displayDelayMilliseconds`). Either way the answer is the best plan found by then.
    public var overrunSeconds: Double = 5
    /// GLPK's `out_dly` for the tree: how long a node LP runs before it reports progress, which is when a
    /// search past `overrunSeconds` can be left. GLPK's default; the tests shorten it.
    var displayDelayMilliseconds: Int32 = 10_000
    /// True when a model (or block) of `columns` columns is over `largestSearchedColumns`.
    func isTooLargeToSearch(columns: Int) -> Bool { largestSearchedColumns.map { columns > $0 } ?? false }
    /// For a model over `largestSearchedColumns`, under a time limit: the neighbourhood search improves the
    /// starting plan for the time given (each round a small MIP around the plan), instead of keeping it as
    /// it is. Branch-and-bound never sees the whole model.
    public var largeModelSearch: NeighbourhoodSearch? = nil
    /// Where workers done with their own blocks join `largeModelSearch` (set by `solveByBlocks` for the block
    /// that has a worker of its own).
    var searchHelp: SearchHelp? = nil
    /// Under a time limit with `stallSeconds`: makes the search that improves the tree's plan for the time a
    /// stalled tree leaves (the tree's bound is kept). Called only when a tree stalls: building and
    /// restricting a search sweeps the whole model. Regions solved apart restrict it to their columns.
    public var stallSearch: (@Sendable () -> NeighbourhoodSearch)? = nil
    /// For regions solved apart (`solveByBlocks`) under a time limit: each stops its tree once no better plan
    /// has come for this fraction of its own share of the time (at least `regionStallMinimumSeconds`) and
    /// hands the rest to `stallSearch`; nil: regions search to their limits.
    public var regionStallFraction: Double? = nil
    public var regionStallMinimumSeconds: Double = 0
    /// ... and, for a region of at most `regionStallMaxGapColumns` columns, only while its relative gap is at
    /// most this (`stallMaxGap`); nil: at any gap.
    public var regionStallMaxGap: Double? = nil
    public var regionStallMaxGapColumns: Int = .max
    /// This run's own search settings, as `alongside` takes them.
    public var searchSettings: SearchSettings {
        get { SearchSettings(cuts: cuts, branching: branching, backtracking: backtracking) }
        set { cuts = newValue.cuts; branching = newValue.branching; backtracking = newValue.backtracking }
    }
    /// A primal heuristic of the caller's own, run on node LP solutions during branch-and-bound.
    public var nodeHeuristic: NodeHeuristic? = nil
    /// For regions solved apart (`solveByBlocks`) of at least `regionRootHeuristicColumns` columns: a plan made
    /// from the region's first relaxation at its root, given the region's columns in the whole model and their
    /// LP values; returns the values of those columns (nil: none). `nodeHeuristic` plans the whole model's
    /// columns, so regions do not get it.
    public var regionRootHeuristic: (@Sendable (_ columns: [Int], _ relaxation: [Double], _ deadline: ContinuousClock.Instant?) -> [Double]?)? = nil
    public var regionRootHeuristicColumns: Int = 0
    /// True when a region of `columns` columns has its root relaxation rounded (`regionRootHeuristic`).
    func roundsRegionRoot(columns: Int) -> Bool { regionRootHeuristic != nil && columns >= regionRootHeuristicColumns }
    /// Under a time limit, for a region given `regionRootHeuristic` of at most `regionRootRelaxationColumns`
    /// columns: its relaxation may take this fraction of the region's share of the time (at least its stall
    /// time), since the rounding needs it; nil: the stall time, as every region.
    public var regionRootRelaxationShare: Double? = nil
    public var regionRootRelaxationColumns: Int = .max
    /// With a starting plan and `stallSeconds`: how long the relaxation may take before the search hands
    /// over as a stalled tree does; nil: `stallSeconds`.
    public var relaxationSeconds: Double? = nil
    /// Under a time limit, for regions solved apart (`solveByBlocks`) whose root is rounded
    /// (`regionRootHeuristic`) and for a model or block too large for the tree (`largestSearchedColumns`) with
    /// `nodeHeuristic.atRoot`, of more than this many columns: the relaxation by GLPK's interior-point method,
    /// rounded, and no tree; the neighbourhood search has the rest of the time from the better of that plan and
    /// the start. On a national programme's regions of 11,227-39,706 columns the tree never improved the rounded
    /// root, while the dual simplex took up to 60 s (the interior-point method 0.5-4 s); its 534,227-column
    /// block, too large for the simplex, has its relaxation in 86 s and the rounding is 12 million points better
    /// than the heuristic's plan.
    public var interiorRootColumns: Int = .max
    /// Set by `solveByBlocks` for such a region or block (see `interiorRootColumns`); needs a starting plan and
    /// `nodeHeuristic.atRoot`, and `stallSeconds` for a model the tree would search.
    var interiorRoot = false
    /// Answers of blocks already searched (`GLPKSolver.solveByBlocks`), for a caller that solves many
    /// models sharing most of their blocks.
    public var blockAnswers: BlockAnswers? = nil
    /// This tree's seat at an exchange of plans with a concurrent neighbourhood search or tree (set by
    /// GLPKSolver.solve).
    var incumbentExchange: IncumbentExchange.Seat? = nil

    public init(
        timeLimitSeconds: Double? = nil, relativeGap: Double = 0, presolve: Bool = true,
        cuts: CutOptions = .all, feasibilityPump: Bool = true, proximitySearch: Bool = false,
        startingSolution: [Double]? = nil, progress: (@Sendable (SolveProgress) -> Void)? = nil,
        progressInterval: Double = 1.0, shouldStop: (@Sendable () -> Bool)? = nil,
        branching: BranchingRule = .driebeckTomlin, backtracking: BacktrackingRule = .bestLocalBound
    ) {
        self.branching = branching
        self.backtracking = backtracking
        self.timeLimitSeconds = timeLimitSeconds
        self.relativeGap = relativeGap
        self.presolve = presolve
        self.cuts = cuts
        self.feasibilityPump = feasibilityPump
        self.proximitySearch = proximitySearch
        self.startingSolution = startingSolution
        self.progress = progress
        self.progressInterval = progressInterval
        self.shouldStop = shouldStop
    }
}

public enum SolveStatus: String, Sendable {
    case optimal
    /// Stopped by time limit, gap or shouldStop with a solution.
    case feasible
    case infeasible
    case unbounded
    /// Time limit or stop before any solution was found.
    case noSolution
}

/// One more row of supply for an LP and the columns that may draw on it (`Problem.objectives(of:)`).
public struct LPExtension: Sendable {
    /// The new row's upper bound; its lower bound is 0.
    public var rowUpper: Double
    /// Each new column: the existing row (0-based) it enters with coefficient 1, as it enters the new row,
    /// and its upper bound (its lower bound is 0, its objective 0).
    public var columns: [(row: Int, upper: Double)]
    public init(rowUpper: Double, columns: [(row: Int, upper: Double)]) { self.rowUpper = rowUpper; self.columns = columns }
}

public struct Solution: Sendable {
    public var status: SolveStatus
    public var objective: Double?
    public var bestBound: Double?
    /// Relative gap |objective - bestBound| / (1e-9 + |objective|); 0 when optimal.
    public var gap: Double?
    /// Empty unless status is .optimal or .feasible. Integer columns hold exact integers.
    public var columnValues: [Double]
    public var rowValues: [Double]
    /// Row duals of the LP (for a MIP: of its LP relaxation); empty if unavailable.
    public var rowDuals: [Double]
    public var seconds: Double
    /// GLPK's captured terminal output plus notes from this wrapper.
    public var log: String
    public var stoppedByTimeLimit: Bool
    /// The search stopped at `SolveOptions.nodeLimit`.
    public var stoppedByNodeLimit: Bool = false
    /// The search stopped at `SolveOptions.stallSeconds` (with two settings: both did).
    public var stoppedByStall: Bool = false
    /// No tree was searched: the relaxation was rounded and the rest left to the neighbourhood search, as after a
    /// stall (`SolveOptions.interiorRoot`).
    var treeSkipped = false
    /// Branch-and-bound nodes created (0 for a pure LP).
    public var nodes: Int = 0
    /// Gomory's cuts the shim (CGLPK/gomory.c) handed to GLPK's cut pool; 0 when GLPK made them
    /// (`CutOptions.gomoryByGLPK`) or none were asked for.
    public var gomoryCuts: Int = 0
    /// A model solved in independent blocks (`solveByBlocks`): each block's columns and the bound its own
    /// search proved, nil when it has none. Another bound of a block's own (a relaxation that falls apart by
    /// block) can then be taken block by block where it is tighter. Nil otherwise.
    public var blockBounds: [BlockBound]? = nil

    public init(
        status: SolveStatus, objective: Double? = nil, bestBound: Double? = nil, gap: Double? = nil,
        columnValues: [Double] = [], rowValues: [Double] = [], rowDuals: [Double] = [],
        seconds: Double = 0, log: String = "", stoppedByTimeLimit: Bool = false
    ) {
        self.status = status
        self.objective = objective
        self.bestBound = bestBound
        self.gap = gap
        self.columnValues = columnValues
        self.rowValues = rowValues
        self.rowDuals = rowDuals
        self.seconds = seconds
        self.log = log
        self.stoppedByTimeLimit = stoppedByTimeLimit
    }
}

/// One independent block of a model solved by blocks: its columns (of the whole model) and its own bound.
public struct BlockBound: Sendable {
    public var columns: [Int]
    public var bound: Double?
}

/// A primal heuristic of the caller's own for branch-and-bound: given a node's LP solution (column values
/// in model order) and the search's deadline, it returns a feasible integer plan, or nil. GLPK keeps an
/// offered plan only when it beats the incumbent; a plan that breaks a row or bound is never offered. It
/// runs on the solving thread at the root and then at every `every`-th node LP, counted, not timed, so a
/// search under a node limit stays the same on every machine.
public struct NodeHeuristic: Sendable {
    public var plan: @Sendable (_ relaxation: [Double], _ deadline: ContinuousClock.Instant?) -> [Double]?
    /// Used instead of `plan` at the root's first LP, where a better plan is worth more time; nil for `plan`.
    public var atRoot: (@Sendable (_ relaxation: [Double], _ deadline: ContinuousClock.Instant?) -> [Double]?)?
    public var every: Int
    public init(every: Int = 1, plan: @escaping @Sendable (_ relaxation: [Double], _ deadline: ContinuousClock.Instant?) -> [Double]?) {
        self.every = max(1, every)
        self.plan = plan
    }
}
