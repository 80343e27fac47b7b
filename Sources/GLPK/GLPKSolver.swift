import CGLPK
import Foundation

public enum GLPKSolver {
    /// Creates, solves and deletes the problem on a dedicated Thread (GLPK's
    /// environment is thread-local and Swift tasks hop threads), blocking the
    /// caller until done. Model files, if requested, are written before solving.
    public static func solve(
        _ model: LinearModel, options: SolveOptions = SolveOptions(), writeLP: String? = nil,
        writeMPS: String? = nil
    ) throws -> Solution {
        try onDedicatedThread {
            let problem = try Problem(model)
            if let path = writeLP { try problem.writeLP(to: path) }
            if let path = writeMPS { try problem.writeMPS(to: path) }
            return try problem.solve(options)
        }
    }

    /// Writes the model without solving it (e.g. to inspect a model known to be infeasible).
    public static func write(_ model: LinearModel, lp: String? = nil, mps: String? = nil) throws {
        try onDedicatedThread {
            let problem = try Problem(model)
            if let path = lp { try problem.writeLP(to: path) }
            if let path = mps { try problem.writeMPS(to: path) }
        }
    }

    /// glp_version(), e.g. "5.0".
    public static var version: String { cachedVersion }

    private static let cachedVersion: String = {
        // A throwaway thread, so no caller thread keeps a GLPK environment alive.
        (try? onDedicatedThread {
            var buffer = [CChar](repeating: 0, count: 64)
            cglpk_version(&buffer, buffer.count)
            return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }) ?? "unknown"
    }()

    /// Runs `body` on a fresh thread with its own GLPK environment, freed afterwards.
    static func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // `body` drops its Problem before the cleanup below runs.
            box.result = Result { try body() }
            // GLPK never frees a thread's environment by itself.
            cglpk_thread_cleanup()
            done.signal()
        }
        thread.stackSize = 16 << 20  // GLPK is C code with large frames; be generous
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}

/// Test support: reads a free MPS file back with glp_read_mps (on a fresh
/// thread) and returns its size, to check that written files are well formed.
func readMPSSize(path: String) throws -> (rows: Int, columns: Int, nonzeros: Int) {
    try GLPKSolver.onDedicatedThread {
        var ret: Int32 = 0, rows: Int32 = 0, columns: Int32 = 0, nonzeros: Int32 = 0
        try check(cglpk_read_mps_size(path, &ret, &rows, &columns, &nonzeros))
        guard ret == 0 else {
            throw GLPKError.writeFailed(path: path, message: "glp_read_mps failed: " + String(cString: cglpk_log()))
        }
        return (Int(rows), Int(columns), Int(nonzeros))
    }
}

/// Hands a result from the solver thread to the waiting caller; the semaphore
/// orders the write before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
