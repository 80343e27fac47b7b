import GLPK

/// Accumulates columns, rows and coefficients of a linear model. The formulations describe their model
/// with it; the GLPK module turns the result into a solver problem.
struct ModelBuilder {
    private(set) var model: LinearModel

    init(name: String, direction: OptimizationDirection) {
        model = LinearModel(name: name, direction: direction)
    }

    /// Room for this many more columns, rows and coefficients: a national model has millions of each, and
    /// growing the arrays by doubling copies them over and over and briefly holds two copies.
    mutating func reserve(columns: Int, rows: Int, coefficients: Int) {
        model.columns.reserveCapacity(model.columns.count + columns)
        model.rows.reserveCapacity(model.rows.count + rows)
        model.coefficients.reserveCapacity(model.coefficients.count + coefficients)
    }

    @discardableResult
    mutating func column(_ name: String, kind: ColumnKind, lower: Double? = 0, upper: Double? = nil, objective: Double = 0) -> Int {
        model.columns.append(Column(name: ModelBuilder.symbol(name), kind: kind, lower: lower, upper: upper, objective: objective))
        return model.columns.count - 1
    }

    @discardableResult
    mutating func row(_ name: String, lower: Double? = nil, upper: Double? = nil) -> Int {
        model.rows.append(Row(name: ModelBuilder.symbol(name), lower: lower, upper: upper))
        return model.rows.count - 1
    }

    mutating func set(row: Int, column: Int, _ value: Double) {
        model.coefficients.append(Coefficient(row: row, column: column, value: value))
    }

    /// Names that LP and MPS files accept everywhere: letters, digits and underscores, not starting with a digit.
    static func symbol(_ name: String) -> String {
        // Most names are letters, digits and underscores already: keep them as they are, without a copy.
        let plain = name.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count <= 255 && !bytes.contains { byte in
                !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F)
            }
        }
        if plain == true { return name }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(name.utf8.count, 255))
        for byte in name.utf8 {
            if bytes.count == 255 { break }
            let keep = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            // Multi-byte characters become one "_" each: skip their continuation bytes.
            if byte & 0xC0 == 0x80 { continue }
            bytes.append(keep ? byte : 0x5F)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The structure shared by the adviser allocation and the generalized assignment problem: each job's
/// demand is supplied in whole units by agents (advisers), each agent's resource use within its capacity,
/// and what no agent supplies is left as unmet slack (or forbidden).
/// A GAP job is one unit of demand with binary candidates; an adviser need is its days in day units.
struct AssignmentCore {
    struct Candidate {
        var agent: Int
        var job: Int
        /// Most units this agent may supply (1 makes the column binary).
        var maxUnits: Int
        /// Agent resource used per unit.
        var resourcePerUnit: Double
        /// Objective per unit.
        var valuePerUnit: Double
        var name: String
    }

    /// Column of each candidate, in candidate order.
    private(set) var candidateColumns: [Int] = []
    /// Row of each job: units supplied (+ unmet slack) = demand.
    private(set) var jobRows: [Int] = []
    /// Row of each agent: resource used <= capacity.
    private(set) var capacityRows: [Int] = []
    /// Unmet slack column of each job (in units), when jobs may go unmet.
    private(set) var unmetColumns: [Int?] = []

    /// - Parameters:
    ///   - demands: units each job needs.
    ///   - unmetObjective: objective per unmet unit of job j, or nil when every job must be fully supplied.
    init(builder: inout ModelBuilder, jobNames: [String], demands: [Int], agentNames: [String], capacities: [Double],
         candidates: [Candidate], unmetObjective: ((Int) -> Double)?) {
        for (j, name) in jobNames.enumerated() {
            let demand = Double(demands[j])
            jobRows.append(builder.row("cover_\(name)", lower: demand, upper: demand))
            if let unmetObjective {
                // Continuous is enough: candidates supply whole units, so the slack is whole too.
                let u = builder.column("unmet_\(name)", kind: .continuous, lower: 0, upper: demand, objective: unmetObjective(j))
                builder.set(row: jobRows[j], column: u, 1)
                unmetColumns.append(u)
            } else {
                unmetColumns.append(nil)
            }
        }
        for (i, name) in agentNames.enumerated() {
            capacityRows.append(builder.row("capacity_\(name)", upper: capacities[i]))
        }
        for candidate in candidates {
            let x = builder.column(candidate.name, kind: candidate.maxUnits == 1 ? .binary : .integer, lower: 0,
                                   upper: Double(candidate.maxUnits), objective: candidate.valuePerUnit)
            builder.set(row: jobRows[candidate.job], column: x, 1)
            builder.set(row: capacityRows[candidate.agent], column: x, candidate.resourcePerUnit)
            candidateColumns.append(x)
        }
    }
}
