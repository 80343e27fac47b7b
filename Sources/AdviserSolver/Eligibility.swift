import AdviserModel

/// Why an adviser may not work with a school. Used to build the model (only eligible pairs become
/// variables) and to explain to a programme manager why a school has nobody.
public enum Ineligibility: Sendable, Equatable, Hashable, Comparable {
    case ownSchool
    case phase
    case sameTrust
    case sameLocalAuthority
    case travel
    case noMatchingExpertise
    case forbidden

    public var explanation: String {
        switch self {
        case .ownSchool: return "it is their own school"
        case .phase: return "they do not work in this phase"
        case .sameTrust: return "they are employed by the school's trust (independence)"
        case .sameLocalAuthority: return "they are employed by the school's local authority (independence)"
        case .travel: return "the school is beyond the travel limit"
        case .noMatchingExpertise: return "they have no expertise in any of the school's need areas"
        case .forbidden: return "the pairing is forbidden by a change"
        }
    }
}

/// The eligible adviser-school pairs of a scenario, computed once.
public struct EligibilityTable: Sendable {
    public let scenario: Scenario
    /// Needs grouped by school id, in file order.
    public let needsBySchool: [String: [Int]]
    let forbidden: Set<PairKey>

    public init(scenario: Scenario) {
        self.scenario = scenario
        forbidden = Set(scenario.forbiddenPairs)
        var grouped: [String: [Int]] = [:]
        for (index, need) in scenario.needs.enumerated() { grouped[need.school, default: []].append(index) }
        needsBySchool = grouped
    }

    /// Every rule that excludes the pair; empty when the adviser is eligible for the school.
    public func reasons(_ adviser: Adviser, _ school: School) -> [Ineligibility] {
        var reasons: [Ineligibility] = []
        if adviser.homeSchool == school.id { reasons.append(.ownSchool) }
        if forbidden.contains(PairKey(adviser: adviser.id, school: school.id)) { reasons.append(.forbidden) }
        if !adviser.phases.contains(school.phase) { reasons.append(.phase) }
        switch scenario.rules.independence {
        case .none:
            break
        case .trust, .localAuthority:
            if let trust = school.trust, trust == adviser.employerTrust { reasons.append(.sameTrust) }
            if scenario.rules.independence == .localAuthority, let la = adviser.employerLocalAuthority, la == school.localAuthority {
                reasons.append(.sameLocalAuthority)
            }
        }
        if scenario.travelMinutes(adviser, school) > scenario.rules.maxTravelMinutes + 1e-9 { reasons.append(.travel) }
        let needs = needsBySchool[school.id] ?? []
        if !needs.isEmpty && !needs.contains(where: { adviser.level(in: scenario.needs[$0].area) > 0 }) {
            reasons.append(.noMatchingExpertise)
        }
        return reasons
    }

    public func isEligible(_ adviser: Adviser, _ school: School) -> Bool { reasons(adviser, school).isEmpty }

    /// A sentence saying why nobody is eligible for `school`, counting advisers per rule.
    public func explainNoEligibleAdviser(for school: School) -> String {
        var counts: [Ineligibility: Int] = [:]
        for adviser in scenario.advisers {
            for reason in reasons(adviser, school) { counts[reason, default: 0] += 1 }
        }
        let parts = counts.keys.sorted().map { "\(counts[$0]!) of \(scenario.advisers.count): \($0.explanation)" }
        return parts.isEmpty ? "there are no advisers" : parts.joined(separator: "; ")
    }
}
