import Foundation

/// The phase of education a school serves, as the DfE register names it.
public enum Phase: String, CaseIterable, Codable, Sendable, Comparable {
    case primary
    case secondary
    case allThrough = "all-through"
    case special
    case alternativeProvision = "alternative-provision"
    case nursery

    public static func < (a: Phase, b: Phase) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A point on the map in WGS84 decimal degrees.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in kilometres (haversine, mean Earth radius).
    public func kilometres(to other: GeoPoint) -> Double { GeoPoint.kilometres(from: haversineTerms, to: other.haversineTerms) }

    /// What the haversine needs of one point, worked out once where one point is measured against
    /// thousands (`check` measures every school against every adviser).
    public struct HaversineTerms: Sendable {
        let latitudeRadians: Double
        let cosLatitude: Double
        let longitude: Double
    }

    public var haversineTerms: HaversineTerms {
        let phi = latitude * .pi / 180
        return HaversineTerms(latitudeRadians: phi, cosLatitude: cos(phi), longitude: longitude)
    }

    /// The one haversine: `kilometres(to:)` is this, so a distance is the same number whichever way it is asked.
    public static func kilometres(from a: HaversineTerms, to b: HaversineTerms) -> Double {
        let r = 6371.0088
        let dp = b.latitudeRadians - a.latitudeRadians
        let dl = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + a.cosLatitude * b.cosLatitude * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}

public struct School: Sendable, Equatable {
    public var id: String
    public var name: String
    public var phase: Phase
    public var localAuthority: String
    /// The academy trust, nil for a maintained school.
    public var trust: String?
    public var pupils: Int
    public var disadvantagedPercent: Double
    /// 1 outstanding ... 4 inadequate; nil when the school has no grade.
    public var inspectionGrade: Int?
    public var location: GeoPoint

    public init(id: String, name: String, phase: Phase, localAuthority: String, trust: String? = nil, pupils: Int = 0,
                disadvantagedPercent: Double = 0, inspectionGrade: Int? = nil, location: GeoPoint) {
        self.id = id; self.name = name; self.phase = phase; self.localAuthority = localAuthority; self.trust = trust
        self.pupils = pupils; self.disadvantagedPercent = disadvantagedPercent; self.inspectionGrade = inspectionGrade
        self.location = location
    }
}

/// An area of expertise and how deep it goes: 1 working knowledge, 2 strong, 3 expert.
public struct Expertise: Sendable, Equatable, Codable {
    public var area: String
    public var level: Int
    public init(area: String, level: Int) { self.area = area; self.level = level }
}

public struct Adviser: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: String
    public var home: GeoPoint
    public var phases: [Phase]
    /// Sorted by area so every use of it is deterministic.
    public var expertise: [Expertise]
    public var capacityDays: Double
    public var maxSchools: Int
    public var dayRate: Double
    public var employerTrust: String?
    public var employerLocalAuthority: String?
    /// The school this adviser leads, in peer networks; they never advise it.
    public var homeSchool: String?

    public init(id: String, name: String, role: String = "", home: GeoPoint, phases: [Phase], expertise: [Expertise],
                capacityDays: Double, maxSchools: Int, dayRate: Double, employerTrust: String? = nil,
                employerLocalAuthority: String? = nil, homeSchool: String? = nil) {
        self.id = id; self.name = name; self.role = role; self.home = home; self.phases = phases
        self.expertise = expertise.sorted { $0.area < $1.area }
        self.capacityDays = capacityDays; self.maxSchools = maxSchools; self.dayRate = dayRate
        self.employerTrust = employerTrust; self.employerLocalAuthority = employerLocalAuthority; self.homeSchool = homeSchool
    }

    /// Expertise level in `area`, 0 when the adviser has none.
    public func level(in area: String) -> Int {
        expertise.first { $0.area == area }?.level ?? 0
    }
}

/// Adviser days a school needs in one area over the programme.
public struct Need: Sendable, Equatable {
    public var school: String
    public var area: String
    public var days: Double
    /// 1 low ... 3 most urgent.
    public var priority: Int
    public init(school: String, area: String, days: Double, priority: Int) {
        self.school = school; self.area = area; self.days = days; self.priority = priority
    }
}

public enum AssignmentRole: String, Sendable, Codable, CaseIterable {
    case lead
    case specialist
}

/// An existing adviser-school pairing, kept where it is worth keeping (continuity).
public struct RosterEntry: Sendable, Equatable {
    public var adviser: String
    public var school: String
    public var role: AssignmentRole
    public init(adviser: String, school: String, role: AssignmentRole) {
        self.adviser = adviser; self.school = school; self.role = role
    }
}

public enum IndependenceLevel: String, Sendable, Codable, CaseIterable {
    /// Anyone may advise any school (apart from their own).
    case none
    /// No adviser works with a school of the trust that employs them.
    case trust
    /// As `trust`, and no adviser works with a school in the local authority that employs them.
    case localAuthority = "local-authority"
}

public struct Rules: Sendable, Equatable {
    public var independence: IndependenceLevel = .localAuthority
    public var requireLead: Bool = true
    /// Days the lead adviser spends on each school's oversight, on top of need-days.
    public var leadDays: Double = 2
    public var maxTravelMinutes: Double = 60
    public var workingDayHours: Double = 7.5
    /// Whether a visit day's round trip also uses the adviser's capacity (true), or capacity counts visit
    /// days only, travel being part of the day (false): integral capacity use, a much easier model to prove.
    public var travelUsesCapacity: Bool = true
    /// When set, each school is planned with only its this many nearest eligible advisers (by travel time,
    /// then adviser file order), plus any adviser of a current or required pairing: a national programme
    /// need not weigh an adviser an hour away against the ten in the next town, and the model stays a
    /// size the solver can handle.
    public var candidateAdvisers: Int? = nil
    public var areas: [String] = Rules.defaultAreas

    public static let defaultAreas = ["literacy", "maths", "curriculum", "pedagogy", "leadership", "assessment", "send",
                                      "safeguarding", "governance", "finance", "attendance", "behaviour", "early-years"]
    public init() {}
}

/// How travel minutes are estimated where no measured figure is given.
public struct TravelModel: Sendable, Equatable {
    public var roadFactor: Double = 1.3
    public var averageSpeedKmh: Double = 40
    public init() {}

    /// One-way minutes by road between two points.
    public func minutes(from a: GeoPoint, to b: GeoPoint) -> Double {
        minutes(from: a.haversineTerms, to: b.haversineTerms)
    }

    /// The same, from terms worked out once per point.
    public func minutes(from a: GeoPoint.HaversineTerms, to b: GeoPoint.HaversineTerms) -> Double {
        GeoPoint.kilometres(from: a, to: b) * roadFactor / averageSpeedKmh * 60
    }
}

/// Objective weights; see README.md for how each enters the objective.
public struct Weights: Sendable, Equatable {
    public var expertise: Double = 10
    public var disadvantage: Double = 1
    public var continuity: Double = 200
    public var travel: Double = 0.05
    public var unmetPenalty: Double = 10000
    public init() {}
}

public struct Programme: Sendable, Equatable {
    public var name: String
    public var description: String
    public var start: CivilDate
    public var end: CivilDate
    /// Pounds; nil when the programme sets no budget.
    public var budget: Double?
    public init(name: String, description: String = "", start: CivilDate, end: CivilDate, budget: Double? = nil) {
        self.name = name; self.description = description; self.start = start; self.end = end; self.budget = budget
    }
}

/// Identifies an adviser-school pair in lookups.
public struct PairKey: Hashable, Sendable, Comparable {
    public var adviser: String
    public var school: String
    public init(adviser: String, school: String) { self.adviser = adviser; self.school = school }
    public static func < (a: PairKey, b: PairKey) -> Bool { (a.adviser, a.school) < (b.adviser, b.school) }
}

/// Everything the planner knows about one programme: read from a scenario folder or built in code.
public struct Scenario: Sendable {
    public var name: String { programme.name }
    public var programme: Programme
    public var rules: Rules
    public var travel: TravelModel
    public var weights: Weights
    public var schools: [School]
    public var advisers: [Adviser]
    public var needs: [Need]
    public var roster: [RosterEntry]
    /// Measured one-way minutes that override the estimate.
    public var measuredTravelMinutes: [PairKey: Double]
    /// SHA-256 of the input files (names and bytes), to tie a plan to the exact inputs it came from.
    public var fingerprint: String
    /// Paths of the files read, so that nothing is ever written over them.
    public var inputFiles: [String]
    /// School terms (`[[terms]]`), in date order; empty when the scenario gives none.
    public var terms: [Term] = []
    /// One-off closures for everyone (`[calendar] extra_closures`), e.g. an extra bank holiday.
    public var extraClosures: [DateRange] = []
    /// How visits are timed (`[visits]`).
    public var visits: VisitSettings = VisitSettings()
    /// Adviser id -> row of availability.csv; an adviser without a row works Monday to Friday, at most
    /// `visits.maxDaysPerWeek` days a week.
    public var availability: [String: AdviserAvailability] = [:]
    /// Adviser id -> leave (leave.csv).
    public var leave: [String: [DateRange]] = [:]
    /// School id -> closures (closures.csv): INSET days, statutory test weeks, an inspection ...
    public var closures: [String: [DateRange]] = [:]
    /// Pairs the plan must never use (a what-if change's `[[forbid]]`), sorted.
    public var forbiddenPairs: [PairKey] = []
    /// Pairings the plan must keep (a what-if change's `[[require]]`); role lead means the adviser must lead the school.
    public var requiredPairs: [RosterEntry] = []

    public init(programme: Programme, rules: Rules = Rules(), travel: TravelModel = TravelModel(), weights: Weights = Weights(),
                schools: [School], advisers: [Adviser], needs: [Need], roster: [RosterEntry] = [],
                measuredTravelMinutes: [PairKey: Double] = [:], fingerprint: String = "", inputFiles: [String] = [],
                terms: [Term] = [], extraClosures: [DateRange] = [], visits: VisitSettings = VisitSettings(),
                availability: [String: AdviserAvailability] = [:], leave: [String: [DateRange]] = [:],
                closures: [String: [DateRange]] = [:], forbiddenPairs: [PairKey] = [], requiredPairs: [RosterEntry] = []) {
        self.programme = programme; self.rules = rules; self.travel = travel; self.weights = weights
        self.schools = schools; self.advisers = advisers; self.needs = needs; self.roster = roster
        self.measuredTravelMinutes = measuredTravelMinutes; self.fingerprint = fingerprint; self.inputFiles = inputFiles
        self.terms = terms; self.extraClosures = extraClosures; self.visits = visits
        self.availability = availability; self.leave = leave; self.closures = closures
        self.forbiddenPairs = forbiddenPairs.sorted(); self.requiredPairs = requiredPairs
    }

    public func school(_ id: String) -> School? { schools.first { $0.id == id } }
    public func adviser(_ id: String) -> Adviser? { advisers.first { $0.id == id } }

    /// One-way travel minutes from the adviser's base to the school: measured if given, else estimated.
    public func travelMinutes(_ adviser: Adviser, _ school: School) -> Double {
        measuredTravelMinutes[PairKey(adviser: adviser.id, school: school.id)]
            ?? travel.minutes(from: adviser.home, to: school.location)
    }

    /// Days of capacity one visit day costs, counting the round trip: 1 + 2 x minutes / working day.
    public func capacityPerVisitDay(travelMinutes: Double) -> Double {
        rules.travelUsesCapacity ? 1 + 2 * travelMinutes / (rules.workingDayHours * 60) : 1
    }
}
