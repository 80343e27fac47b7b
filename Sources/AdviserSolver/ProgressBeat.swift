import AdviserModel
import Foundation
import GLPK

/// Progress for the stages of a solve that report nothing of their own (the starting heuristic before the
/// tree, the LP-free bound after it): a line a second, with the time since the solve began and the best plan
/// the heuristic has told of. On a national programme these stages take minutes, and a terminal that shows
/// nothing for that long looks hung.
final class ProgressBeat: @unchecked Sendable {
    private let report: @Sendable (SolveProgress) -> Void
    private let start: ContinuousClock.Instant
    private let lock = NSLock()
    private var incumbent: Double?

    init(since start: ContinuousClock.Instant, report: @escaping @Sendable (SolveProgress) -> Void) {
        self.start = start
        self.report = report
    }

    /// A plan's objective, as the heuristic finds better ones: cheap, since it may come after every accepted move.
    func plan(_ objective: Double) { lock.withLock { incumbent = objective } }

    /// The last plan told of, if any.
    var best: Double? { lock.withLock { incumbent } }

    /// Runs `stage` on this thread while another reports once a second, and stops that one before returning.
    func during<T>(_ stage: () throws -> T) rethrows -> T {
        let stop = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            repeat { beat() } while stop.wait(timeout: .now() + 1) == .timedOut
            stopped.signal()
        }
        thread.start()
        defer {
            stop.signal()
            stopped.wait()  // no line may follow the stage's own, or the command's clearing of the line
        }
        return try stage()
    }

    private func beat() {
        report(SolveProgress(incumbent: best, elapsedSeconds: seconds(since: start)))
    }
}
