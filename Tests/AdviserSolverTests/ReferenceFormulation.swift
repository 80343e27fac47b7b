import AdviserModel
import GLPK
@testable import AdviserSolver

/// The allocation model exactly as `AllocationFormulation.init` built it before it was made fast at national
/// scale: every adviser against every school through `EligibilityTable.reasons`, every need against every
/// adviser through a dictionary of pairs. Kept, unchanged but for the result type, as the reference the fast
/// construction must match column for column, row for row and coefficient for coefficient.
struct ReferenceFormulation {
    var model: LinearModel
    /// adviser, school, assigned column, lead column, travel minutes: one per pair, in model order.
    var pairs: [(adviser: Int, school: Int, assigned: Int, lead: Int?, travelMinutes: Double)] = []
    /// adviser, need, pair, column: one per need candidate, in model order.
    var candidates: [(adviser: Int, need: Int, pair: Int, column: Int)] = []
    var unmetColumns: [Int] = []
    var budgetRow: Int?
    var schoolsWithoutLead: [String] = []
    var basePairs: [PairKey: AssignmentRole] = [:]
    var impossibleRequirements: [String] = []

    init(scenario: Scenario, basePlan: Plan? = nil, disruptionWeight: Double = 0, keepAllFeasible: Bool = false) {
        let table = EligibilityTable(scenario: scenario)
        var builder = ModelBuilder(name: "allocation", direction: .maximize)
        let w = scenario.weights
        let rules = scenario.rules
        let unit = AllocationFormulation.dayUnit(for: scenario)

        var pairIndex: [PairKey: Int] = [:]
        var pairSpecs: [(adviser: Int, school: Int, minutes: Double)] = []
        for (a, adviser) in scenario.advisers.enumerated() {
            for (s, school) in scenario.schools.enumerated() where table.reasons(adviser, school).isEmpty {
                pairIndex[PairKey(adviser: adviser.id, school: school.id)] = pairSpecs.count
                pairSpecs.append((a, s, scenario.travelMinutes(adviser, school)))
            }
        }
        let schoolIndex = Dictionary(uniqueKeysWithValues: scenario.schools.enumerated().map { ($1.id, $0) })

        var coreCandidates: [AssignmentCore.Candidate] = []
        var candidatePairs: [Int] = []
        for (n, need) in scenario.needs.enumerated() {
            guard let s = schoolIndex[need.school] else { continue }
            let school = scenario.schools[s]
            for (a, adviser) in scenario.advisers.enumerated() {
                let level = adviser.level(in: need.area)
                guard level > 0, let p = pairIndex[PairKey(adviser: adviser.id, school: school.id)] else { continue }
                let minutes = pairSpecs[p].minutes
                let valuePerDay = w.expertise * Double(level * need.priority) * (1 + w.disadvantage * school.disadvantagedPercent / 100)
                    - w.travel * 2 * minutes
                coreCandidates.append(.init(agent: a, job: n, maxUnits: AllocationFormulation.units(need.days, unit),
                                            resourcePerUnit: unit * scenario.capacityPerVisitDay(travelMinutes: minutes),
                                            valuePerUnit: valuePerDay * unit, name: "x_\(adviser.id)_\(school.id)_\(need.area)"))
                candidatePairs.append(p)
            }
        }
        let core = AssignmentCore(
            builder: &builder,
            jobNames: scenario.needs.map { "\($0.school)_\($0.area)" },
            demands: scenario.needs.map { AllocationFormulation.units($0.days, unit) },
            agentNames: scenario.advisers.map(\.id),
            capacities: scenario.advisers.map(\.capacityDays),
            candidates: coreCandidates,
            unmetObjective: { n in -w.unmetPenalty * Double(scenario.needs[n].priority) * unit })
        unmetColumns = core.unmetColumns.map { $0! }

        let rosterRoles = Dictionary(scenario.roster.map { (PairKey(adviser: $0.adviser, school: $0.school), $0.role) }, uniquingKeysWith: { a, _ in a })
        let budgetRow = scenario.programme.budget.map { builder.row("budget", upper: $0) }
        self.budgetRow = budgetRow
        let schoolsRows = scenario.advisers.map { builder.row("max_schools_\($0.id)", upper: Double($0.maxSchools)) }
        let leadRows = rules.requireLead ? scenario.schools.map { builder.row("lead_\($0.id)", lower: 1, upper: 1) } : []

        var base: [PairKey: AssignmentRole] = [:]
        for a in basePlan?.assignments ?? [] { base[PairKey(adviser: a.adviser, school: a.school)] = a.role }
        var required: [PairKey: AssignmentRole] = [:]
        for entry in scenario.requiredPairs { required[PairKey(adviser: entry.adviser, school: entry.school)] = entry.role }
        for entry in scenario.requiredPairs where pairIndex[PairKey(adviser: entry.adviser, school: entry.school)] == nil {
            var why: [Ineligibility] = []
            if let a = scenario.adviser(entry.adviser), let school = scenario.school(entry.school) { why = table.reasons(a, school) }
            impossibleRequirements.append("the required pairing of \(entry.adviser) with \(entry.school) is not allowed: "
                + (why.isEmpty ? "the adviser or school is not in the scenario" : why.map(\.explanation).joined(separator: "; ")))
        }
        for spec in pairSpecs {
            let adviser = scenario.advisers[spec.adviser], school = scenario.schools[spec.school]
            let key = PairKey(adviser: adviser.id, school: school.id)
            let role = rosterRoles[key]
            let baseRole = base[key]
            if let baseRole { basePairs[key] = baseRole }
            let mustKeep = required[key] != nil || (keepAllFeasible && baseRole != nil)
            let mustLead = required[key] == .lead || (keepAllFeasible && baseRole == .lead)
            let y = builder.column("y_\(adviser.id)_\(school.id)", kind: .binary, lower: mustKeep ? 1 : 0, upper: 1,
                                   objective: (role != nil ? w.continuity : 0) + (baseRole != nil ? disruptionWeight : 0))
            builder.set(row: schoolsRows[spec.adviser], column: y, 1)
            var lead: Int?
            if rules.requireLead {
                let l = builder.column("l_\(adviser.id)_\(school.id)", kind: .binary, lower: mustLead ? 1 : 0, upper: 1,
                                       objective: (role == .lead ? w.continuity : 0) + (baseRole == .lead ? disruptionWeight : 0)
                                           - w.travel * 2 * spec.minutes * rules.leadDays)
                builder.set(row: leadRows[spec.school], column: l, 1)
                builder.set(row: core.capacityRows[spec.adviser], column: l, rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: spec.minutes))
                if let budgetRow { builder.set(row: budgetRow, column: l, adviser.dayRate * rules.leadDays) }
                let leadLink = builder.row("lead_link_\(adviser.id)_\(school.id)", upper: 0)
                builder.set(row: leadLink, column: l, 1)
                builder.set(row: leadLink, column: y, -1)
                lead = l
            } else if mustLead {
                impossibleRequirements.append("\(adviser.id) is required to lead \(school.id), but the rules have no leads (require_lead = false)")
            }
            pairs.append((spec.adviser, spec.school, y, lead, spec.minutes))
        }

        var pairNeedColumns = [[Int]](repeating: [], count: pairSpecs.count)
        var pairCandidates = [[Int]](repeating: [], count: pairSpecs.count)
        for (c, candidate) in coreCandidates.enumerated() {
            let column = core.candidateColumns[c]
            let p = candidatePairs[c]
            candidates.append((candidate.agent, candidate.job, p, column))
            pairNeedColumns[p].append(column)
            pairCandidates[p].append(c)
            let link = builder.row("link_\(candidate.name)", upper: 0)
            builder.set(row: link, column: column, 1)
            builder.set(row: link, column: pairs[p].assigned, -Double(candidate.maxUnits))
            if let budgetRow {
                builder.set(row: budgetRow, column: column, scenario.advisers[candidate.agent].dayRate * unit)
            }
        }
        for (p, pair) in pairs.enumerated() {
            let names = "\(scenario.advisers[pair.adviser].id)_\(scenario.schools[pair.school].id)"
            let row = builder.row("used_\(names)", upper: 0)
            builder.set(row: row, column: pair.assigned, 1)
            if let l = pair.lead { builder.set(row: row, column: l, -1) }
            for column in pairNeedColumns[p] { builder.set(row: row, column: column, -1) }
            let factor = scenario.capacityPerVisitDay(travelMinutes: pair.travelMinutes)
            let adviser = scenario.advisers[pair.adviser]
            let leadLoad = rules.leadDays * factor
            var volume = leadLoad
            for c in pairCandidates[p] { volume += Double(coreCandidates[c].maxUnits) * coreCandidates[c].resourcePerUnit }
            let bigM = min(adviser.capacityDays, volume)
            if bigM > 0 {
                let load = builder.row("load_\(names)", upper: 0)
                for c in pairCandidates[p] { builder.set(row: load, column: core.candidateColumns[c], coreCandidates[c].resourcePerUnit) }
                if let l = pair.lead, leadLoad > 0 { builder.set(row: load, column: l, leadLoad) }
                builder.set(row: load, column: pair.assigned, -bigM)
            }
        }

        if rules.requireLead {
            let led = Set(pairSpecs.map(\.school))
            schoolsWithoutLead = scenario.schools.enumerated().filter { !led.contains($0.offset) }.map(\.element.id)
        }
        model = builder.model
    }
}
