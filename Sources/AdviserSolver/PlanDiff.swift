import AdviserModel

/// What changes between two plans, in a planner's words: who moved and why, loads, coverage, cost, travel.
public struct PlanDiff: Codable, Sendable, Equatable {
    public struct SchoolChange: Codable, Sendable, Equatable {
        public var school: String
        public var name: String
        public var leadBefore: String?
        public var leadAfter: String?
        public var advisersBefore: [String]
        public var advisersAfter: [String]
        /// Why: "the adviser left", "no longer allowed", "capacity", "new school", "school removed", or "rebalanced"
        /// (work moved to cover more need or to a better match, worth more than the disruption weight).
        public var why: String
        enum CodingKeys: String, CodingKey {
            case school, name, why
            case leadBefore = "lead_before"
            case leadAfter = "lead_after"
            case advisersBefore = "advisers_before"
            case advisersAfter = "advisers_after"
        }
    }

    public struct AdviserChange: Codable, Sendable, Equatable {
        public var adviser: String
        public var daysBefore: Double
        public var daysAfter: Double
        public var schoolsBefore: [String]
        public var schoolsAfter: [String]
        enum CodingKeys: String, CodingKey {
            case adviser
            case daysBefore = "days_before"
            case daysAfter = "days_after"
            case schoolsBefore = "schools_before"
            case schoolsAfter = "schools_after"
        }
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var needDaysCovered: Double
        public var needDaysUnmet: Double
        public var cost: Double
        /// Hours of round-trip travel over all visit days.
        public var travelHours: Double
        /// The plan's objective less any disruption bonus, so before and after compare like with like.
        public var objective: Double?
        public var pairings: Int
        /// How the plan's search ended, and its gap to the best bound when not proven (nil when proven or
        /// unknown): two plans not proven optimal may differ by where each search stopped.
        public var status: Plan.Status
        public var gap: Double?
        enum CodingKeys: String, CodingKey {
            case needDaysCovered = "need_days_covered"
            case needDaysUnmet = "need_days_unmet"
            case cost
            case travelHours = "travel_hours"
            case objective, pairings, status, gap
        }
    }

    public var schools: [SchoolChange]
    public var advisers: [AdviserChange]
    public var before: Totals
    public var after: Totals
    /// Pairings present in both plans.
    public var kept: Int
    public var removed: [String]
    public var added: [String]
    /// Dated visits of the changed plan kept from the base plan.
    public var visitsKept: Int
    /// Schools planned again when a what-if was re-planned around its change only; nil (and left out of the
    /// JSON) when the whole programme was.
    public var replannedSchools: Int? = nil

    public static func totals(_ plan: Plan, bonus: Double) -> Totals {
        Totals(needDaysCovered: plan.assignments.reduce(0) { $0 + $1.days.values.reduce(0, +) }, needDaysUnmet: plan.unmetDays,
               cost: plan.totalCost,
               travelHours: plan.assignments.reduce(0) { $0 + 2 * $1.travelMinutes * $1.visitDays } / 60,
               objective: plan.objective.map { $0 - bonus }, pairings: plan.assignments.count, status: plan.status,
               gap: plan.status == .optimal ? nil : plan.gap)
    }

    /// - Parameters:
    ///   - changed: the scenario `after` was solved for (to tell why a lead moved).
    public static func between(_ before: Plan, _ after: Plan, changed: Scenario?, bonusAfter: Double = 0) -> PlanDiff {
        func pairs(_ p: Plan) -> Set<String> { Set(p.assignments.map { "\($0.adviser)>\($0.school)" }) }
        let b = pairs(before), a = pairs(after)
        // Each plan's pairings by school and by adviser, in plan order: a national plan has 35,000 pairings,
        // and searching them all for each of 22,000 schools took most of a minute.
        let beforeBySchool = Dictionary(grouping: before.assignments, by: \.school), afterBySchool = Dictionary(grouping: after.assignments, by: \.school)
        let beforeByAdviser = Dictionary(grouping: before.assignments, by: \.adviser), afterByAdviser = Dictionary(grouping: after.assignments, by: \.adviser)
        // The table is built once, and only if an adviser left a school while staying in the programme: a
        // national one takes seconds.
        var eligibility: EligibilityTable?
        func allowed(_ adviser: Adviser, _ school: School, in changed: Scenario) -> Bool {
            if eligibility == nil { eligibility = EligibilityTable(scenario: changed) }
            return eligibility!.isEligible(adviser, school)
        }
        var schools: [SchoolChange] = []
        let ids = Set(before.schools.map(\.id)).union(after.schools.map(\.id)).sorted()
        for id in ids {
            let leadBefore = beforeBySchool[id]?.first { $0.role == .lead }?.adviser
            let leadAfter = afterBySchool[id]?.first { $0.role == .lead }?.adviser
            let advisersBefore = (beforeBySchool[id] ?? []).map(\.adviser).sorted()
            let advisersAfter = (afterBySchool[id] ?? []).map(\.adviser).sorted()
            guard leadBefore != leadAfter || advisersBefore != advisersAfter else { continue }
            let name = after.school(id)?.name ?? before.school(id)?.name ?? id
            var why = "rebalanced"
            if after.school(id) == nil { why = "school removed" }
            else if before.school(id) == nil { why = "new school" }
            else if let old = leadBefore, old != leadAfter {
                if after.adviser(old) == nil { why = "the adviser left" }
                else if let changed, let adviser = changed.adviser(old), let school = changed.school(id),
                        !allowed(adviser, school, in: changed) { why = "no longer allowed" }
                else if let was = before.adviser(old), let now = after.adviser(old), now.capacityDays < was.capacityDays { why = "capacity" }
            } else if leadBefore == leadAfter {
                let gone = advisersBefore.filter { !advisersAfter.contains($0) }
                if gone.contains(where: { after.adviser($0) == nil }) { why = "the adviser left" }
                else if let changed, let school = changed.school(id), gone.contains(where: { g in
                    guard let adviser = changed.adviser(g) else { return false }
                    return !allowed(adviser, school, in: changed)
                }) { why = "no longer allowed" }
                else if gone.contains(where: { g in
                    guard let was = before.adviser(g), let now = after.adviser(g) else { return false }
                    return now.capacityDays < was.capacityDays
                }) { why = "capacity" }
            }
            schools.append(SchoolChange(school: id, name: name, leadBefore: leadBefore, leadAfter: leadAfter,
                                        advisersBefore: advisersBefore, advisersAfter: advisersAfter, why: why))
        }
        var advisers: [AdviserChange] = []
        let adviserIDs = Set(before.advisers.map(\.id)).union(after.advisers.map(\.id)).sorted()
        for id in adviserIDs {
            let mineBefore = beforeByAdviser[id] ?? [], mineAfter = afterByAdviser[id] ?? []
            let daysBefore = mineBefore.reduce(0) { $0 + $1.visitDays }, daysAfter = mineAfter.reduce(0) { $0 + $1.visitDays }
            let schoolsBefore = mineBefore.map(\.school).sorted(), schoolsAfter = mineAfter.map(\.school).sorted()
            guard abs(daysBefore - daysAfter) > 1e-9 || schoolsBefore != schoolsAfter else { continue }
            advisers.append(AdviserChange(adviser: id, daysBefore: daysBefore, daysAfter: daysAfter,
                                          schoolsBefore: schoolsBefore, schoolsAfter: schoolsAfter))
        }
        let beforeVisits = Set(before.visits.map { "\($0.adviser)|\($0.school)|\($0.date)|\($0.start)" })
        let visitsKept = after.visits.filter { beforeVisits.contains("\($0.adviser)|\($0.school)|\($0.date)|\($0.start)") }.count
        return PlanDiff(schools: schools, advisers: advisers, before: totals(before, bonus: 0), after: totals(after, bonus: bonusAfter),
                        kept: b.intersection(a).count, removed: b.subtracting(a).sorted(), added: a.subtracting(b).sorted(),
                        visitsKept: visitsKept)
    }
}
