import Foundation
import Testing

@testable import GLPK

// The lifted knapsack cover cuts of CGLPK's covers.c: they must never cut off an integer point, whatever the
// signs of a row's coefficients (complemented items), its sense (<=, >= and ranged rows) or the non-binary
// columns it holds (dropped at a bound); and they must actually be generated where an LP point violates one.

/// A small pure 0-1 program with knapsack rows of every kind, and a continuous column in some of them.
struct KnapsackRows {
    let binaries = 10
    var value: [Double] = []
    var rows: [Row] = []
    var coefficients: [Coefficient] = []
    /// The continuous column y in [0, 3] and its objective coefficient.
    let yUpper = 3.0
    var yValue = 0.0

    init(seed: UInt64) {
        var state = seed
        func next(_ n: UInt64) -> Double { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Double(state % n) }
        value = (0..<binaries).map { _ in 1 + next(30) }
        yValue = 2 + next(5)
        let y = binaries
        // Two plain knapsacks, tight enough that the LP point is fractional.
        for r in 0..<2 {
            let weights = (0..<binaries).map { _ in 3 + next(12) }
            rows.append(Row(name: "knapsack\(r)", upper: (weights.reduce(0, +) * 0.35).rounded()))
            for (j, a) in weights.enumerated() where next(4) > 0 { coefficients.append(Coefficient(row: rows.count - 1, column: j, value: a)) }
        }
        // Negative coefficients: a >= row, i.e. -sum a x <= -b with complemented items.
        let weights = (0..<binaries).map { _ in 2 + next(9) }
        rows.append(Row(name: "at_least", lower: (weights.reduce(0, +) * 0.45).rounded()))
        for (j, a) in weights.enumerated() { coefficients.append(Coefficient(row: rows.count - 1, column: j, value: a)) }
        // A ranged row with mixed signs.
        rows.append(Row(name: "ranged", lower: -8, upper: 9))
        for j in 0..<binaries { coefficients.append(Coefficient(row: rows.count - 1, column: j, value: (j % 3 == 0 ? -1 : 1) * (1 + next(6)))) }
        // A knapsack with y inside (y >= 0 with a positive coefficient is dropped at 0) and one where y's
        // negative coefficient lends capacity (dropped at its upper bound).
        rows.append(Row(name: "with_y", upper: 14))
        for j in 0..<binaries where j % 2 == 0 { coefficients.append(Coefficient(row: rows.count - 1, column: j, value: 2 + next(6))) }
        coefficients.append(Coefficient(row: rows.count - 1, column: y, value: 2))
        rows.append(Row(name: "y_lends", upper: 9))
        for j in 0..<binaries where j % 2 == 1 { coefficients.append(Coefficient(row: rows.count - 1, column: j, value: 2 + next(6))) }
        coefficients.append(Coefficient(row: rows.count - 1, column: y, value: -1))
    }

    var model: LinearModel {
        var columns = (0..<binaries).map { Column(name: "x\($0)", kind: .binary, objective: value[$0]) }
        columns.append(Column(name: "y", kind: .continuous, lower: 0, upper: yUpper, objective: yValue))
        return LinearModel(name: "knapsacks", direction: .maximize, columns: columns, rows: rows, coefficients: coefficients)
    }

    /// The optimum by enumerating the binaries; for each, the best y is at an end of the interval the rows allow.
    func optimum() -> Double? {
        var best: Double? = nil
        for code in 0..<(1 << binaries) {
            var activity = [Double](repeating: 0, count: rows.count), yCoefficient = [Double](repeating: 0, count: rows.count)
            for c in coefficients {
                if c.column == binaries { yCoefficient[c.row] += c.value } else if code >> c.column & 1 == 1 { activity[c.row] += c.value }
            }
            var low = 0.0, high = yUpper
            for (r, row) in rows.enumerated() {
                let a = yCoefficient[r]
                for (bound, isUpper) in [(row.upper, true), (row.lower, false)] {
                    guard let bound else { continue }
                    // a y + activity <= bound (or >= bound)
                    if a == 0 {
                        if isUpper ? activity[r] > bound + 1e-9 : activity[r] < bound - 1e-9 { low = 1; high = 0 }
                    } else if (a > 0) == isUpper {
                        high = min(high, (bound - activity[r]) / a)
                    } else {
                        low = max(low, (bound - activity[r]) / a)
                    }
                }
            }
            guard low <= high + 1e-9 else { continue }
            let total = (0..<binaries).reduce(0.0) { code >> $1 & 1 == 1 ? $0 + value[$1] : $0 } + yValue * high
            if best == nil || total > best! { best = total }
        }
        return best
    }
}

@Test func liftedCoversKeepEveryOptimum() throws {
    var cutsSeen = 0
    for seed in 1...40 {
        let instance = KnapsackRows(seed: UInt64(seed) * 104_729)
        guard let expected = instance.optimum() else { continue }
        var options = SolveOptions()
        // Only our cuts and plain branching, so that nothing else closes the gap first.
        options.cuts = CutOptions(gomory: false, mixedIntegerRounding: false, cover: false, clique: false, liftedCovers: true)
        options.feasibilityPump = false
        options.presolve = false
        let solution = try GLPKSolver.solve(instance.model, options: options)
        #expect(solution.status == .optimal, "seed \(seed)")
        #expect(abs((solution.objective ?? -1) - expected) < 1e-6, "seed \(seed): \(solution.objective ?? -1) against \(expected)")
        if let line = solution.log.split(separator: "\n").first(where: { $0.hasPrefix("Lifted cover cuts: ") }),
           let count = Int(line.dropFirst("Lifted cover cuts: ".count).prefix { $0.isNumber }) {
            cutsSeen += count
        }
    }
    // The rows are tight enough that LP points violate covers: a separator that never fires would pass above.
    #expect(cutsSeen >= 20)
}
