import Foundation

/// Where a worker with nothing left to do joins the neighbourhood search of a block that has a worker of its
/// own (`GLPKSolver.solveByBlocks`): the national programme's regions are done long before the deadline,
/// while its 534,227-column block still gains with every round.
///
/// The two run rounds at once on rows no other running round has claimed. Each works on its own copy of the
/// plan and hands the other the columns its better rounds changed. A round claims every row its free columns
/// touch, so no one else changes a column in those rows while it runs: the values it holds fixed stay true,
/// and every plan either side has is feasible (each row has seen a prefix of the changes made to it, in order).
public final class SearchHelp: @unchecked Sendable {
    private let lock = NSLock()
    private var session: HelpSession?
    private var finished = false
    /// One helper at a time: a session trades with one other side.
    private var taken = false
    public init() {}

    func offer(_ session: HelpSession) { lock.withLock { self.session = session } }

    /// The block's search is over (or never opened): workers that come later return at once.
    func finish() { lock.withLock { session = nil; finished = true } }

    /// Helps the block's search until it ends, waiting for it to open when it has not yet. Returns at once
    /// when there is none, or when another worker helps already. Runs the rounds on a thread of its own (each
    /// GLPK thread needs its environment).
    public func help() {
        guard lock.withLock({ () -> Bool in defer { taken = true }; return !taken }) else { return }
        while true {
            let (open, done) = lock.withLock { (session, finished) }
            if done { return }
            if let open {
                _ = try? GLPKSolver.onDedicatedThread { try open.search.help(open) }
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}

/// One search's shared state while a helper may join: the rows claimed by running rounds and the changes
/// each side has made that the other has not yet taken.
final class HelpSession: @unchecked Sendable {
    typealias Change = (column: Int, value: Double)
    let search: NeighbourhoodSearch
    let model: LinearModel
    let index: SparseIndex
    let usual: UsualNeighbourhoods
    let deadline: ContinuousClock.Instant
    let shouldStop: (@Sendable () -> Bool)?

    private let lock = NSLock()
    /// Per row: 0 free, 1 claimed by the search's own round, 2 by the helper's.
    private var claimedBy: [UInt8]
    /// The search is waiting for rows the helper holds: the helper claims nothing new until it has them.
    private var ownerWaiting = false
    private var closed = false
    private var wantsStart = false
    private var start: [Double]?
    private var toOwner: [Change] = []
    private var toHelper: [Change] = []
    private var helperJoined = false
    private(set) var helperRounds = 0, helperImproved = 0, helperGain = 0.0, helperSeconds = 0.0

    init(search: NeighbourhoodSearch, model: LinearModel, index: SparseIndex, usual: UsualNeighbourhoods,
         deadline: ContinuousClock.Instant, shouldStop: (@Sendable () -> Bool)?) {
        self.search = search; self.model = model; self.index = index; self.usual = usual
        self.deadline = deadline; self.shouldStop = shouldStop
        claimedBy = [UInt8](repeating: 0, count: model.rows.count)
    }

    /// `changes` (the other side's) taken into `values`, the objective following.
    static func apply(_ changes: [Change], to values: inout [Double], objective: inout Double, of model: LinearModel) {
        for (j, value) in changes {
            objective += model.columns[j].objective * (value - values[j])
            values[j] = value
        }
    }

    // MARK: the search's own side

    /// Called before each of the search's rounds: the helper's changes since the last call, and the plan
    /// handed over when a helper is waiting to start from it.
    func ownerSync(_ values: [Double]) -> [Change] {
        lock.withLock {
            if wantsStart { start = values; wantsStart = false; helperJoined = true }
            defer { toOwner.removeAll(keepingCapacity: true) }
            return toOwner
        }
    }

    /// Claims `rows` for the search's round, waiting while the helper's round holds any of them; returns the
    /// helper's changes the round must see first.
    func ownerClaim(_ rows: [Int]) -> [Change] {
        while true {
            let granted: [Change]? = lock.withLock {
                guard !rows.contains(where: { claimedBy[$0] == 2 }) else { ownerWaiting = true; return nil }
                for r in rows { claimedBy[r] = 1 }
                ownerWaiting = false
                defer { toOwner.removeAll(keepingCapacity: true) }
                return toOwner
            }
            if let granted { return granted }
            Thread.sleep(forTimeInterval: 0.0005)
        }
    }

    /// The round on `rows` is over; `changes` are the columns it changed when it improved the plan.
    func ownerRelease(_ rows: [Int], changes: [Change]?) {
        lock.withLock {
            for r in rows { claimedBy[r] = 0 }
            if let changes, helperJoined, !closed { toHelper += changes }
        }
    }

    /// The search is over: the helper's changes it has not yet taken; later ones are dropped.
    func close() -> [Change] {
        lock.withLock {
            closed = true
            defer { toOwner.removeAll() }
            return toOwner
        }
    }

    // MARK: the helper's side

    /// The plan to start from, handed over at the search's next round; nil once the search is over.
    func join() -> [Double]? {
        lock.withLock { if !closed { wantsStart = true } }
        while true {
            let (plan, over) = lock.withLock { () -> ([Double]?, Bool) in
                defer { start = nil }
                return (start, closed)
            }
            if over { return nil }
            if let plan { return plan }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// Claims `rows` for the helper's round unless the search's round holds one or is waiting; either way
    /// the search's changes the helper has not yet taken. Nil once the search is over.
    func helperClaim(_ rows: [Int]) -> (granted: Bool, changes: [Change])? {
        lock.withLock {
            guard !closed else { return nil }
            defer { toHelper.removeAll(keepingCapacity: true) }
            let granted = !ownerWaiting && !rows.contains(where: { claimedBy[$0] == 1 })
            if granted { for r in rows { claimedBy[r] = 2 } }
            return (granted, toHelper)
        }
    }

    func helperRelease(_ rows: [Int], changes: [Change]?, gain: Double, seconds: Double) {
        lock.withLock {
            for r in rows { claimedBy[r] = 0 }
            helperRounds += 1
            helperSeconds += seconds
            guard let changes, !closed else { return }
            toOwner += changes
            helperImproved += 1
            helperGain += gain
        }
    }

    /// The solver log's line, empty when no helper came.
    func log() -> String {
        lock.withLock {
            helperRounds == 0 ? "" : "Rounds on a second core once the regions were done: \(helperRounds) (\(helperImproved) improved the plan, by \(String(format: "%.6g", helperGain)) in all) in \(String(format: "%.2f", helperSeconds)) s\n"
        }
    }
}
