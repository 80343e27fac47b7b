import Foundation

/// Bounds on a model's objective from row multipliers: every row is moved into the objective with its
/// multiplier (a Lagrangian relaxation of all rows), after which each column simply sits at the better end
/// of its bounds. For a maximisation, c·x = Σ y_r (Ax)_r + Σ_j (c_j − y·a_j) x_j, and each term is at most
/// its value at the better end of its row's or column's bounds, so the result is a valid bound for *any*
/// multipliers, optimal or not. At the LP's optimal duals it is the LP bound.
///
/// An LP stopped by the time limit leaves duals that are not optimal; they still give its fallback plan
/// a bound (usually weak: the allocation's own `AllocationBound` is the strong one).
struct RowRelaxation {
    /// +1 for a maximisation, −1 for a minimisation: the bound is worked out for max sign·c·x.
    private let sign: Double
    private let constant: Double
    private let objective: [Double]
    private let columnLower: [Double?], columnUpper: [Double?]
    private let rowLower: [Double?], rowUpper: [Double?]
    private let coefficients: [Coefficient]

    init(_ model: LinearModel, columnBounds: [(lower: Double?, upper: Double?)]) {
        sign = model.direction == .maximize ? 1 : -1
        constant = sign * model.objectiveConstant
        objective = model.columns.map { (model.direction == .maximize ? 1 : -1) * $0.objective }
        columnLower = columnBounds.map(\.lower)
        columnUpper = columnBounds.map(\.upper)
        rowLower = model.rows.map(\.lower)
        rowUpper = model.rows.map(\.upper)
        coefficients = model.coefficients
    }

    /// A multiplier the row's bounds allow: positive needs an upper bound, negative a lower one.
    private func allowed(_ m: Double, row r: Int) -> Double {
        if m > 0 { return rowUpper[r] == nil ? 0 : m }
        if m < 0 { return rowLower[r] == nil ? 0 : m }
        return 0
    }

    /// The bound at `multipliers` (one per row, in GLPK's sign convention for row duals); see the type.
    func bound(rowMultipliers y: [Double]) -> Double? {
        guard y.count == rowUpper.count else { return nil }
        let m = y.indices.map { r in y[r].isFinite ? allowed(sign * y[r], row: r) : 0 }
        var total = constant
        for r in m.indices where m[r] != 0 { total += m[r] * (m[r] > 0 ? rowUpper[r]! : rowLower[r]!) }
        var reduced = objective
        for c in coefficients { reduced[c.column] -= m[c.row] * c.value }
        for (j, d) in reduced.enumerated() where d != 0 {
            // Each column at the end of its bounds that its reduced cost prefers; an infinite end means no bound.
            guard let end = d > 0 ? columnUpper[j] : columnLower[j] else { return nil }
            total += d * end
        }
        return sign * total
    }
}
