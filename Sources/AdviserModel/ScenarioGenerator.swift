import Foundation

/// A small, fast, seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014). The generator
/// uses only this, never Swift's system random source or the order of a Dictionary or Set, so the same
/// seed gives the same scenario on every machine and Swift version.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    /// A generator for one stage of the work, so that stages do not shift each other's draws.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `lower...upper`.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// Uniform whole number in `range` (the modulo bias is below 2^-40 for the small ranges used here).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Roughly normal with mean 0 and standard deviation 1 (sum of four uniforms), bounded by ±3.5.
    public mutating func bell() -> Double { (unit() + unit() + unit() + unit() - 2) * 1.7320508075688772 }

    /// An index drawn with probability proportional to `weights`.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (i, w) in weights.enumerated() {
            if target < w { return i }
            target -= w
        }
        return weights.count - 1
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Makes a realistic synthetic scenario for `adviser-planner generate`: schools clustered in the towns of real English
/// local authorities with their real spread of disadvantage, needs, advisers near them, and a school year's
/// calendar. The same (schools, advisers, seed) always gives the same scenario.
public enum ScenarioGenerator {
    public static let schoolRange = 1...30000
    public static let adviserRange = 1...5000
    /// Schools per adviser in the DfE programme this mirrors (65 advisers for 430 schools); at this ratio the
    /// advisers' capacity is about 110% of the schools' demand (need-days and lead days, and travel where it uses capacity).
    public static let programmeSchoolsPerAdviser = 430.0 / 65.0
    public static let capacityMargin = 1.1
    /// Average share of a visit day added by travel (a 25-minute trip each way over a 7.5-hour day).
    static let travelAllowance = 1.11

    public enum GeneratorError: Error, Equatable, CustomStringConvertible {
        case schoolsOutOfRange(Int)
        case advisersOutOfRange(Int)
        public var description: String {
            switch self {
            case .schoolsOutOfRange(let n):
                return "--schools must be a whole number from \(schoolRange.lowerBound) to \(schoolRange.upperBound); found \(n)"
            case .advisersOutOfRange(let n):
                return "--advisers must be a whole number from \(adviserRange.lowerBound) to \(adviserRange.upperBound); found \(n)"
            }
        }
    }

    public static func validate(schools: Int, advisers: Int) throws {
        guard schoolRange.contains(schools) else { throw GeneratorError.schoolsOutOfRange(schools) }
        guard adviserRange.contains(advisers) else { throw GeneratorError.advisersOutOfRange(advisers) }
    }

    // MARK: - Reference data

    enum Region: Sendable { case nw, ne, yh, em, wm, ee, lo, se, sw }

    struct LocalAuthority: Sendable {
        var name: String
        var region: Region
        var latitude: Double
        var longitude: Double
        /// Schools in the DfE file (a weight for choosing where schools are).
        var schools: Int
        /// Median % of pupils eligible for free school meals, and a spread (interquartile range / 1.349,
        /// the standard deviation of a normal with that IQR; at least 2).
        var fsmMedian: Double
        var fsmSpread: Double
        var towns: [Town]

        init(_ name: String, _ region: Region, _ latitude: Double, _ longitude: Double, _ schools: Int,
             _ fsmMedian: Double, _ fsmSpread: Double, _ towns: [(String, Double, Double, Double)]) {
            self.name = name; self.region = region; self.latitude = latitude; self.longitude = longitude
            self.schools = schools; self.fsmMedian = fsmMedian; self.fsmSpread = fsmSpread
            self.towns = towns.map { Town(name: $0.0, latitude: $0.1, longitude: $0.2, weight: $0.3) }
        }
    }

    /// A town (or district of a city) of a local authority, where schools and advisers are placed.
    struct Town: Sendable {
        var name: String
        var latitude: Double
        var longitude: Double
        /// Relative size, 1 to 4: how likely a school or an adviser is to be here (the main town largest).
        var weight: Double
        /// Standard deviation in km of the scatter about the centre: 1 km for the smallest, about 2 km for the largest.
        var spreadKm: Double { 0.65 + 0.35 * weight }
    }

    /// Real local authorities (names as in the DfE data) with an approximate centre of their main towns, and
    /// those towns as (name, latitude, longitude, weight): approximate town-centre coordinates to 2 decimals.
    /// School counts, FSM medians and spreads were computed from
    /// shared/data/schools/school_fsm_2022-23_all_england.csv (DfE "Schools, pupils and their
    /// characteristics" 2022/23, Open Government Licence v3: 24,441 schools, `fsm_prop` in %, suppressed
    /// values "z" left out) by a short Python script: per LA, the median and (Q3 - Q1) / 1.349 of `fsm_prop`.
    /// The generator does not read that file.
    static let localAuthorities: [LocalAuthority] = [
        .init("Knowsley", .nw, 53.43, -2.85, 63, 42.6, 16.6, [("Huyton", 53.41, -2.84, 3), ("Kirkby", 53.48, -2.89, 3), ("Prescot", 53.43, -2.80, 2),
               ("Halewood", 53.36, -2.83, 2), ("Whiston", 53.41, -2.80, 1)]),
        .init("Liverpool", .nw, 53.41, -2.96, 192, 37.7, 21.3, [("Liverpool", 53.41, -2.98, 4), ("Walton", 53.45, -2.96, 2),
               ("Everton", 53.42, -2.97, 2), ("Garston", 53.36, -2.90, 2), ("Speke", 53.34, -2.85, 1), ("Anfield", 53.43, -2.96, 2)]),
        .init("Manchester", .nw, 53.47, -2.24, 206, 45.1, 14.5, [("Manchester", 53.48, -2.24, 4), ("Moss Side", 53.46, -2.24, 2),
               ("Wythenshawe", 53.39, -2.26, 3), ("Gorton", 53.46, -2.17, 2), ("Harpurhey", 53.51, -2.21, 2), ("Didsbury", 53.42, -2.23, 2)]),
        .init("Wigan", .nw, 53.54, -2.63, 137, 25.0, 19.5, [("Wigan", 53.55, -2.63, 4), ("Leigh", 53.50, -2.52, 3), ("Hindley", 53.53, -2.58, 1),
               ("Ashton-in-Makerfield", 53.49, -2.64, 2), ("Standish", 53.59, -2.66, 1)]),
        .init("Sefton", .nw, 53.5, -3.0, 108, 21.4, 23.5, [("Bootle", 53.45, -2.99, 3), ("Southport", 53.65, -3.01, 3), ("Crosby", 53.49, -3.03, 2),
               ("Formby", 53.56, -3.07, 1), ("Maghull", 53.52, -2.94, 2)]),
        .init("St. Helens", .nw, 53.45, -2.74, 75, 26.1, 19.8, [("St Helens", 53.45, -2.74, 4), ("Newton-le-Willows", 53.45, -2.63, 2),
               ("Rainford", 53.50, -2.79, 1), ("Haydock", 53.47, -2.68, 1)]),
        .init("Wirral", .nw, 53.37, -3.07, 131, 29.1, 28.2, [("Birkenhead", 53.39, -3.02, 4), ("Wallasey", 53.42, -3.05, 3),
               ("Bebington", 53.35, -3.00, 2), ("Heswall", 53.33, -3.10, 1), ("Moreton", 53.40, -3.11, 1)]),
        .init("Bolton", .nw, 53.58, -2.43, 142, 25.1, 15.4, [("Bolton", 53.58, -2.43, 4), ("Farnworth", 53.55, -2.40, 2),
               ("Horwich", 53.60, -2.55, 1), ("Westhoughton", 53.55, -2.52, 1)]),
        .init("Salford", .nw, 53.49, -2.31, 127, 37.3, 20.6, [("Salford", 53.48, -2.29, 3), ("Eccles", 53.48, -2.34, 2), ("Swinton", 53.51, -2.35, 2),
               ("Walkden", 53.52, -2.40, 2), ("Irlam", 53.44, -2.42, 1)]),
        .init("Oldham", .nw, 53.54, -2.11, 118, 30.8, 16.8, [("Oldham", 53.54, -2.12, 4), ("Chadderton", 53.55, -2.14, 2),
               ("Royton", 53.57, -2.12, 1), ("Failsworth", 53.51, -2.16, 1)]),
        .init("Rochdale", .nw, 53.6, -2.16, 97, 29.7, 13.9, [("Rochdale", 53.62, -2.16, 4), ("Heywood", 53.59, -2.22, 2),
               ("Middleton", 53.55, -2.20, 2), ("Littleborough", 53.64, -2.10, 1)]),
        .init("Blackpool", .nw, 53.81, -3.04, 48, 42.0, 25.0, [("Blackpool", 53.82, -3.05, 4), ("Bispham", 53.85, -3.04, 1),
               ("Layton", 53.83, -3.03, 1), ("Marton", 53.80, -3.01, 1)]),
        .init("Blackburn with Darwen", .nw, 53.73, -2.48, 87, 24.4, 17.0, [("Blackburn", 53.75, -2.48, 4), ("Darwen", 53.70, -2.46, 2),
               ("Mill Hill", 53.74, -2.51, 1)]),
        .init("Lancashire", .nw, 53.76, -2.7, 686, 18.9, 18.4, [("Preston", 53.76, -2.70, 4), ("Chorley", 53.65, -2.63, 2),
               ("Leyland", 53.69, -2.70, 2), ("Lancaster", 54.05, -2.80, 3), ("Morecambe", 54.07, -2.86, 2), ("Fleetwood", 53.92, -3.01, 1)]),
        .init("Tameside", .nw, 53.48, -2.08, 105, 31.6, 15.4, [("Ashton-under-Lyne", 53.49, -2.10, 3), ("Hyde", 53.45, -2.08, 2),
               ("Stalybridge", 53.48, -2.06, 2), ("Denton", 53.46, -2.12, 2)]),
        .init("Warrington", .nw, 53.39, -2.59, 90, 19.8, 18.3, [("Warrington", 53.39, -2.59, 4), ("Great Sankey", 53.39, -2.64, 2),
               ("Birchwood", 53.42, -2.53, 2), ("Padgate", 53.41, -2.56, 1)]),
        .init("Cheshire West and Chester", .nw, 53.22, -2.75, 173, 15.0, 15.7, [("Chester", 53.19, -2.89, 4), ("Ellesmere Port", 53.28, -2.90, 3),
               ("Northwich", 53.26, -2.52, 2), ("Winsford", 53.19, -2.52, 2)]),
        .init("Cumbria", .nw, 54.66, -2.95, 339, 13.2, 12.6, [("Carlisle", 54.89, -2.93, 4), ("Penrith", 54.66, -2.75, 2),
               ("Keswick", 54.60, -3.13, 1), ("Workington", 54.64, -3.55, 2), ("Cockermouth", 54.66, -3.36, 1)]),
        .init("Newcastle upon Tyne", .ne, 54.98, -1.61, 108, 42.0, 24.2, [("Newcastle", 54.97, -1.61, 4), ("Byker", 54.98, -1.57, 2),
               ("Benwell", 54.97, -1.66, 2), ("Gosforth", 55.01, -1.62, 2), ("Walker", 54.97, -1.54, 1)]),
        .init("Gateshead", .ne, 54.95, -1.62, 95, 27.9, 17.5, [("Gateshead", 54.95, -1.60, 4), ("Felling", 54.95, -1.57, 2),
               ("Whickham", 54.95, -1.68, 2), ("Blaydon", 54.96, -1.71, 1)]),
        .init("South Tyneside", .ne, 54.97, -1.44, 62, 36.5, 21.4, [("South Shields", 54.99, -1.43, 4), ("Jarrow", 54.98, -1.49, 2),
               ("Hebburn", 54.97, -1.51, 2), ("Boldon", 54.94, -1.45, 1)]),
        .init("Sunderland", .ne, 54.9, -1.4, 120, 28.1, 22.1, [("Sunderland", 54.91, -1.38, 4), ("Washington", 54.90, -1.52, 3),
               ("Houghton-le-Spring", 54.84, -1.47, 2), ("Hetton", 54.82, -1.45, 1)]),
        .init("County Durham", .ne, 54.73, -1.65, 272, 31.2, 20.3, [("Durham", 54.78, -1.57, 3), ("Chester-le-Street", 54.86, -1.57, 2),
               ("Spennymoor", 54.70, -1.60, 2), ("Bishop Auckland", 54.66, -1.68, 2), ("Peterlee", 54.76, -1.33, 2)]),
        .init("Middlesbrough", .ne, 54.56, -1.23, 60, 41.3, 21.3, [("Middlesbrough", 54.57, -1.24, 4), ("Linthorpe", 54.56, -1.25, 2),
               ("Acklam", 54.54, -1.26, 2), ("Hemlington", 54.52, -1.22, 1)]),
        .init("Hartlepool", .ne, 54.68, -1.22, 39, 39.2, 22.4, [("Hartlepool", 54.69, -1.21, 4), ("Seaton Carew", 54.66, -1.20, 1),
               ("Owton Manor", 54.67, -1.24, 1)]),
        .init("Northumberland", .ne, 55.17, -1.63, 173, 18.8, 15.6, [("Morpeth", 55.17, -1.69, 2), ("Blyth", 55.13, -1.51, 3),
               ("Cramlington", 55.09, -1.59, 3), ("Ashington", 55.18, -1.57, 3), ("Bedlington", 55.13, -1.59, 2)]),
        .init("Leeds", .yh, 53.8, -1.55, 294, 21.8, 20.2, [("Leeds", 53.80, -1.55, 4), ("Armley", 53.80, -1.59, 2), ("Seacroft", 53.82, -1.46, 2),
               ("Morley", 53.74, -1.60, 2), ("Pudsey", 53.80, -1.66, 2), ("Beeston", 53.77, -1.56, 2)]),
        .init("Bradford", .yh, 53.79, -1.76, 227, 26.6, 15.4, [("Bradford", 53.79, -1.75, 4), ("Shipley", 53.83, -1.78, 2),
               ("Bingley", 53.85, -1.84, 2), ("Manningham", 53.81, -1.77, 2), ("Idle", 53.83, -1.74, 1)]),
        .init("Sheffield", .yh, 53.38, -1.47, 189, 30.6, 24.8, [("Sheffield", 53.38, -1.47, 4), ("Hillsborough", 53.40, -1.50, 2),
               ("Darnall", 53.38, -1.41, 2), ("Firth Park", 53.42, -1.44, 2), ("Gleadless", 53.35, -1.44, 2)]),
        .init("Kingston upon Hull, City of", .yh, 53.75, -0.34, 100, 39.2, 16.7, [("Hull", 53.74, -0.33, 4), ("Bransholme", 53.79, -0.32, 2),
               ("Orchard Park", 53.79, -0.38, 1), ("Marfleet", 53.74, -0.28, 1)]),
        .init("Doncaster", .yh, 53.52, -1.13, 133, 28.8, 16.2, [("Doncaster", 53.52, -1.13, 4), ("Mexborough", 53.49, -1.28, 2),
               ("Thorne", 53.61, -0.96, 1), ("Armthorpe", 53.53, -1.05, 1), ("Bentley", 53.54, -1.15, 2)]),
        .init("Rotherham", .yh, 53.43, -1.35, 126, 25.8, 16.0, [("Rotherham", 53.43, -1.36, 4), ("Rawmarsh", 53.46, -1.34, 2),
               ("Maltby", 53.42, -1.20, 2), ("Wath-upon-Dearne", 53.50, -1.35, 2)]),
        .init("Barnsley", .yh, 53.55, -1.48, 93, 29.6, 14.3, [("Barnsley", 53.55, -1.48, 4), ("Wombwell", 53.52, -1.40, 2),
               ("Goldthorpe", 53.53, -1.31, 1), ("Royston", 53.61, -1.45, 1)]),
        .init("Kirklees", .yh, 53.66, -1.75, 194, 23.4, 16.0, [("Huddersfield", 53.65, -1.78, 4), ("Dewsbury", 53.69, -1.63, 3),
               ("Batley", 53.71, -1.63, 2), ("Mirfield", 53.67, -1.69, 1)]),
        .init("Wakefield", .yh, 53.68, -1.46, 156, 21.4, 14.3, [("Wakefield", 53.68, -1.50, 4), ("Castleford", 53.72, -1.36, 2),
               ("Pontefract", 53.69, -1.31, 2), ("Ossett", 53.68, -1.58, 1), ("Normanton", 53.70, -1.42, 1)]),
        .init("York", .yh, 53.96, -1.08, 68, 13.9, 13.0, [("York", 53.96, -1.08, 4), ("Acomb", 53.95, -1.12, 2), ("Haxby", 54.01, -1.07, 1),
               ("Tang Hall", 53.96, -1.05, 1)]),
        .init("Nottingham", .em, 52.95, -1.15, 116, 39.5, 14.0, [("Nottingham", 52.95, -1.15, 4), ("Bulwell", 53.00, -1.20, 2),
               ("Clifton", 52.90, -1.18, 2), ("Sneinton", 52.95, -1.12, 1), ("Basford", 52.98, -1.18, 2)]),
        .init("Nottinghamshire", .em, 53.1, -1.2, 360, 19.0, 14.2, [("Mansfield", 53.14, -1.20, 4), ("Sutton-in-Ashfield", 53.12, -1.26, 3),
               ("Kirkby-in-Ashfield", 53.10, -1.25, 2), ("Hucknall", 53.04, -1.20, 2), ("Ollerton", 53.20, -1.02, 1)]),
        .init("Derby", .em, 52.92, -1.48, 113, 32.1, 19.6, [("Derby", 52.92, -1.48, 4), ("Normanton", 52.90, -1.48, 2), ("Alvaston", 52.90, -1.42, 2),
               ("Chaddesden", 52.93, -1.43, 2)]),
        .init("Derbyshire", .em, 53.18, -1.4, 448, 25.5, 15.2, [("Chesterfield", 53.24, -1.42, 4), ("Bolsover", 53.23, -1.29, 1),
               ("Clay Cross", 53.16, -1.41, 1), ("Staveley", 53.27, -1.35, 1), ("Alfreton", 53.10, -1.38, 2)]),
        .init("Leicester", .em, 52.64, -1.13, 127, 25.4, 16.3, [("Leicester", 52.63, -1.13, 4), ("Belgrave", 52.65, -1.12, 2),
               ("Braunstone", 52.62, -1.18, 2), ("Beaumont Leys", 52.67, -1.16, 2)]),
        .init("Leicestershire", .em, 52.72, -1.2, 318, 14.1, 7.6, [("Loughborough", 52.77, -1.21, 4), ("Coalville", 52.72, -1.37, 2),
               ("Shepshed", 52.77, -1.29, 1), ("Syston", 52.70, -1.08, 1), ("Anstey", 52.67, -1.19, 1)]),
        .init("Lincolnshire", .em, 53.15, -0.45, 387, 25.1, 14.0, [("Lincoln", 53.23, -0.54, 4), ("Gainsborough", 53.40, -0.77, 2),
               ("Market Rasen", 53.39, -0.34, 1), ("Sleaford", 53.00, -0.41, 2), ("Saxilby", 53.27, -0.66, 1)]),
        .init("West Northamptonshire", .em, 52.24, -0.9, 203, 12.5, 11.1, [("Northampton", 52.24, -0.90, 4), ("Daventry", 52.26, -1.16, 2),
               ("Towcester", 52.13, -0.99, 1), ("Duston", 52.24, -0.94, 1)]),
        .init("Birmingham", .wm, 52.48, -1.9, 502, 41.7, 16.4, [("Birmingham", 52.48, -1.90, 4), ("Erdington", 52.52, -1.84, 2),
               ("Aston", 52.50, -1.88, 2), ("Sparkhill", 52.46, -1.86, 2), ("Kings Norton", 52.41, -1.93, 2), ("Handsworth", 52.51, -1.93, 2)]),
        .init("Sandwell", .wm, 52.51, -2.01, 129, 33.2, 9.3, [("West Bromwich", 52.52, -1.99, 4), ("Oldbury", 52.50, -2.02, 2),
               ("Smethwick", 52.49, -1.97, 2), ("Tipton", 52.53, -2.07, 2), ("Wednesbury", 52.55, -2.02, 2)]),
        .init("Wolverhampton", .wm, 52.59, -2.13, 117, 39.8, 14.2, [("Wolverhampton", 52.59, -2.13, 4), ("Bilston", 52.57, -2.07, 2),
               ("Wednesfield", 52.60, -2.08, 2), ("Whitmore Reans", 52.59, -2.15, 1)]),
        .init("Walsall", .wm, 52.59, -1.98, 129, 36.0, 18.5, [("Walsall", 52.59, -1.98, 4), ("Bloxwich", 52.62, -2.00, 2),
               ("Willenhall", 52.59, -2.05, 2), ("Brownhills", 52.65, -1.93, 1)]),
        .init("Dudley", .wm, 52.51, -2.09, 113, 24.5, 15.4, [("Dudley", 52.51, -2.09, 4), ("Stourbridge", 52.46, -2.15, 3),
               ("Halesowen", 52.45, -2.05, 2), ("Brierley Hill", 52.48, -2.12, 2)]),
        .init("Coventry", .wm, 52.41, -1.51, 125, 27.4, 16.1, [("Coventry", 52.41, -1.51, 4), ("Foleshill", 52.43, -1.49, 2),
               ("Tile Hill", 52.40, -1.58, 2), ("Canley", 52.39, -1.56, 1)]),
        .init("Stoke-on-Trent", .wm, 53.01, -2.18, 104, 39.6, 15.0, [("Stoke", 53.00, -2.18, 3), ("Hanley", 53.02, -2.17, 3),
               ("Burslem", 53.04, -2.20, 2), ("Longton", 52.99, -2.13, 2), ("Tunstall", 53.06, -2.21, 2)]),
        .init("Staffordshire", .wm, 52.73, -2.0, 440, 16.7, 12.3, [("Cannock", 52.69, -2.03, 3), ("Stafford", 52.81, -2.12, 3),
               ("Rugeley", 52.76, -1.94, 2), ("Lichfield", 52.68, -1.83, 2), ("Hednesford", 52.71, -2.00, 1)]),
        .init("Telford and Wrekin", .wm, 52.68, -2.45, 83, 26.2, 22.0, [("Telford", 52.68, -2.45, 4), ("Wellington", 52.70, -2.52, 2),
               ("Madeley", 52.64, -2.45, 2), ("Donnington", 52.71, -2.42, 1)]),
        .init("Worcestershire", .wm, 52.25, -2.1, 269, 17.3, 10.6, [("Worcester", 52.19, -2.22, 4), ("Droitwich", 52.27, -2.15, 2),
               ("Redditch", 52.31, -1.94, 3), ("Bromsgrove", 52.34, -2.06, 2)]),
        .init("Norfolk", .ee, 52.63, 1.25, 454, 20.2, 11.4, [("Norwich", 52.63, 1.30, 4), ("Wymondham", 52.57, 1.11, 2), ("Aylsham", 52.79, 1.25, 1),
               ("Dereham", 52.68, 0.94, 2), ("Acle", 52.64, 1.55, 1)]),
        .init("Suffolk", .ee, 52.1, 1.1, 361, 18.0, 12.0, [("Ipswich", 52.06, 1.16, 4), ("Stowmarket", 52.19, 1.00, 2),
               ("Woodbridge", 52.09, 1.32, 1), ("Felixstowe", 51.96, 1.35, 2), ("Needham Market", 52.15, 1.05, 1)]),
        .init("Essex", .ee, 51.74, 0.55, 603, 16.7, 11.6, [("Chelmsford", 51.74, 0.47, 4), ("Braintree", 51.88, 0.55, 2), ("Maldon", 51.73, 0.68, 1),
               ("Witham", 51.80, 0.64, 2), ("Basildon", 51.57, 0.46, 3)]),
        .init("Luton", .ee, 51.88, -0.42, 77, 27.1, 8.2, [("Luton", 51.88, -0.42, 4), ("Marsh Farm", 51.92, -0.43, 1), ("Lewsey", 51.90, -0.47, 1),
               ("Stopsley", 51.90, -0.39, 1)]),
        .init("Peterborough", .ee, 52.57, -0.24, 86, 27.8, 16.1, [("Peterborough", 52.57, -0.24, 4), ("Werrington", 52.62, -0.28, 2),
               ("Orton", 52.55, -0.29, 2), ("Hampton", 52.53, -0.26, 2)]),
        .init("Hertfordshire", .ee, 51.8, -0.22, 585, 13.3, 11.6, [("Stevenage", 51.90, -0.20, 3), ("Welwyn Garden City", 51.80, -0.20, 2),
               ("Hatfield", 51.76, -0.23, 2), ("St Albans", 51.75, -0.34, 3), ("Hertford", 51.80, -0.08, 2)]),
        .init("Tower Hamlets", .lo, 51.515, -0.03, 110, 36.5, 11.9, [("Bethnal Green", 51.53, -0.06, 3), ("Poplar", 51.51, -0.02, 2),
               ("Stepney", 51.52, -0.05, 2), ("Bow", 51.53, -0.02, 2), ("Limehouse", 51.51, -0.04, 1)]),
        .init("Newham", .lo, 51.53, 0.03, 113, 28.9, 8.4, [("Stratford", 51.54, 0.00, 3), ("East Ham", 51.54, 0.05, 3),
               ("Canning Town", 51.51, 0.02, 2), ("Plaistow", 51.53, 0.02, 2), ("Forest Gate", 51.55, 0.02, 2)]),
        .init("Hackney", .lo, 51.55, -0.06, 111, 43.3, 15.5, [("Hackney", 51.55, -0.05, 3), ("Dalston", 51.55, -0.08, 2),
               ("Homerton", 51.55, -0.04, 2), ("Clapton", 51.56, -0.05, 2), ("Stoke Newington", 51.56, -0.08, 2)]),
        .init("Southwark", .lo, 51.48, -0.08, 121, 39.5, 13.4, [("Peckham", 51.47, -0.07, 3), ("Camberwell", 51.47, -0.09, 2),
               ("Bermondsey", 51.50, -0.07, 2), ("Walworth", 51.49, -0.09, 2)]),
        .init("Lambeth", .lo, 51.46, -0.12, 101, 41.6, 17.3, [("Brixton", 51.46, -0.11, 3), ("Stockwell", 51.47, -0.12, 2),
               ("Kennington", 51.49, -0.11, 2), ("Streatham", 51.43, -0.13, 3)]),
        .init("Croydon", .lo, 51.37, -0.1, 151, 31.4, 17.0, [("Croydon", 51.37, -0.10, 4), ("Thornton Heath", 51.40, -0.11, 2),
               ("Norbury", 51.41, -0.12, 1), ("New Addington", 51.34, -0.02, 2)]),
        .init("Barking and Dagenham", .lo, 51.55, 0.13, 65, 26.2, 6.2, [("Barking", 51.54, 0.08, 3), ("Dagenham", 51.54, 0.15, 3),
               ("Becontree", 51.55, 0.13, 2), ("Chadwell Heath", 51.57, 0.13, 1)]),
        .init("Enfield", .lo, 51.65, -0.08, 109, 32.8, 15.5, [("Enfield", 51.65, -0.08, 4), ("Edmonton", 51.62, -0.06, 3),
               ("Ponders End", 51.64, -0.05, 2), ("Southgate", 51.63, -0.13, 2)]),
        .init("Brent", .lo, 51.56, -0.28, 103, 22.4, 14.0, [("Wembley", 51.55, -0.30, 4), ("Willesden", 51.55, -0.24, 2),
               ("Harlesden", 51.54, -0.25, 2), ("Kilburn", 51.54, -0.20, 2)]),
        .init("Kent", .se, 51.27, 0.52, 687, 21.1, 14.7, [("Maidstone", 51.27, 0.52, 4), ("Tonbridge", 51.20, 0.27, 2),
               ("Sittingbourne", 51.34, 0.73, 2), ("West Malling", 51.29, 0.41, 1), ("Snodland", 51.33, 0.44, 1)]),
        .init("Medway", .se, 51.38, 0.53, 112, 25.3, 14.9, [("Chatham", 51.37, 0.53, 3), ("Gillingham", 51.39, 0.55, 3),
               ("Rochester", 51.39, 0.50, 2), ("Strood", 51.40, 0.49, 2)]),
        .init("Hampshire", .se, 51.06, -1.31, 589, 15.6, 11.9, [("Winchester", 51.06, -1.31, 3), ("Eastleigh", 50.97, -1.35, 3),
               ("Romsey", 50.99, -1.50, 2), ("Chandler's Ford", 50.98, -1.38, 2), ("Alresford", 51.09, -1.16, 1)]),
        .init("Portsmouth", .se, 50.81, -1.07, 65, 29.4, 17.6, [("Portsmouth", 50.80, -1.09, 4), ("Southsea", 50.79, -1.08, 2),
               ("Cosham", 50.84, -1.07, 2), ("Paulsgrove", 50.85, -1.10, 1)]),
        .init("Southampton", .se, 50.91, -1.4, 83, 32.4, 16.8, [("Southampton", 50.91, -1.40, 4), ("Shirley", 50.92, -1.43, 2),
               ("Woolston", 50.89, -1.37, 2), ("Bitterne", 50.92, -1.36, 2)]),
        .init("Brighton and Hove", .se, 50.84, -0.14, 84, 26.7, 18.5, [("Brighton", 50.83, -0.14, 4), ("Hove", 50.83, -0.17, 3),
               ("Moulsecoomb", 50.85, -0.11, 1), ("Whitehawk", 50.83, -0.10, 1)]),
        .init("Surrey", .se, 51.27, -0.45, 509, 12.5, 10.7, [("Guildford", 51.24, -0.57, 4), ("Woking", 51.32, -0.56, 3),
               ("Leatherhead", 51.30, -0.33, 2), ("Cobham", 51.33, -0.41, 1), ("Godalming", 51.19, -0.61, 2)]),
        .init("Oxfordshire", .se, 51.75, -1.26, 359, 12.9, 7.6, [("Oxford", 51.75, -1.26, 4), ("Abingdon", 51.67, -1.28, 2),
               ("Kidlington", 51.82, -1.29, 1), ("Didcot", 51.61, -1.24, 2), ("Blackbird Leys", 51.72, -1.20, 1)]),
        .init("Milton Keynes", .se, 52.04, -0.76, 121, 21.1, 14.5, [("Milton Keynes", 52.04, -0.76, 4), ("Bletchley", 52.00, -0.74, 2),
               ("Wolverton", 52.06, -0.81, 2), ("Newport Pagnell", 52.09, -0.72, 1)]),
        .init("Slough", .se, 51.51, -0.59, 58, 18.4, 12.5, [("Slough", 51.51, -0.59, 4), ("Langley", 51.50, -0.54, 2), ("Cippenham", 51.51, -0.63, 2),
               ("Chalvey", 51.50, -0.60, 1)]),
        .init("Cornwall", .sw, 50.35, -4.95, 291, 19.0, 9.1, [("Truro", 50.26, -5.05, 3), ("St Austell", 50.34, -4.79, 3),
               ("Newquay", 50.41, -5.08, 2), ("Bodmin", 50.47, -4.72, 2), ("Redruth", 50.23, -5.23, 2)]),
        .init("Devon", .sw, 50.72, -3.53, 413, 17.1, 9.6, [("Exeter", 50.72, -3.53, 4), ("Exmouth", 50.62, -3.41, 2), ("Crediton", 50.79, -3.65, 1),
               ("Cullompton", 50.86, -3.39, 1), ("Dawlish", 50.58, -3.47, 1)]),
        .init("Plymouth", .sw, 50.38, -4.14, 102, 28.8, 20.6, [("Plymouth", 50.37, -4.14, 4), ("Devonport", 50.37, -4.17, 2),
               ("Plympton", 50.39, -4.05, 2), ("Stonehouse", 50.37, -4.16, 1)]),
        .init("Bristol, City of", .sw, 51.45, -2.59, 167, 29.3, 19.1, [("Bristol", 51.45, -2.59, 4), ("Southmead", 51.50, -2.59, 2),
               ("Bedminster", 51.44, -2.61, 2), ("Hartcliffe", 51.41, -2.60, 2), ("Lawrence Hill", 51.46, -2.57, 1)]),
        .init("Gloucestershire", .sw, 51.87, -2.18, 332, 15.9, 10.3, [("Gloucester", 51.86, -2.24, 4), ("Cheltenham", 51.90, -2.08, 4),
               ("Tewkesbury", 51.99, -2.16, 1), ("Stroud", 51.75, -2.22, 2)]),
        .init("Torbay", .sw, 50.46, -3.55, 47, 28.4, 14.2, [("Torquay", 50.46, -3.53, 4), ("Paignton", 50.44, -3.57, 3),
               ("Brixham", 50.39, -3.51, 1)]),
        .init("Swindon", .sw, 51.56, -1.78, 89, 17.2, 10.6, [("Swindon", 51.56, -1.78, 4), ("Penhill", 51.59, -1.78, 1),
               ("Stratton", 51.58, -1.75, 1), ("Highworth", 51.63, -1.71, 1)]),
        .init("Bournemouth, Christchurch and Poole", .sw, 50.73, -1.87, 113, 19.1, 13.1, [("Bournemouth", 50.72, -1.88, 4),
               ("Poole", 50.72, -1.98, 3), ("Christchurch", 50.74, -1.78, 2), ("Boscombe", 50.73, -1.84, 1)]),
    ]

    /// Invented trust names, a few per region (any likeness to a real trust's name is chance).
    static func trusts(in region: Region) -> [String] {
        switch region {
        case .nw: return ["Mersey Vale Learning Trust", "Pennine Horizons Academy Trust", "Red Rose Schools Partnership",
                          "Irwell Valley Multi-Academy Trust", "Northern Lights Education Trust", "Douglas Valley Learning Trust"]
        case .ne: return ["Tyne and Wear Learning Partnership", "Cheviot Schools Trust", "Wearside Academies Trust",
                          "Durham Dales Education Trust", "Tees Valley Learning Trust"]
        case .yh: return ["White Rose Learning Trust", "Aire Valley Academies", "Don Valley Schools Trust",
                          "Humber Estuary Learning Partnership", "Calder Learning Trust", "Dales Education Partnership"]
        case .em: return ["Sherwood Learning Trust", "Trent Valley Academies", "Peak Edge Schools Partnership",
                          "Soar Valley Learning Trust", "Witham Education Trust"]
        case .wm: return ["Black Country Learning Trust", "Arden Forest Academies", "Severn Valley Schools Trust",
                          "Heart of Mercia Education Trust", "Potteries Learning Partnership"]
        case .ee: return ["Anglian Schools Partnership", "Broadland Learning Trust", "Chiltern Edge Academies",
                          "Stour Valley Education Trust", "Nene Learning Trust"]
        case .lo: return ["Thames Gateway Academies", "Lea Valley Learning Trust", "Capital Schools Partnership",
                          "Southbank Education Trust", "North London Learning Trust"]
        case .se: return ["Downs Learning Trust", "Solent Academies Trust", "Weald Schools Partnership",
                          "Thames Valley Learning Trust", "Medway Estuary Trust"]
        case .sw: return ["Tamar Valley Academies", "Severn Vale Schools Trust", "Jurassic Coast Learning Trust",
                          "Mendip Education Trust", "Atlantic Coast Learning Partnership"]
        }
    }

    /// Need areas and how often schools name them: literacy and maths most of all.
    static let needAreas: [(area: String, weight: Double)] = [
        ("literacy", 26), ("maths", 22), ("leadership", 9), ("send", 8), ("curriculum", 6), ("pedagogy", 5),
        ("attendance", 5), ("behaviour", 4), ("assessment", 4), ("early-years", 4), ("safeguarding", 3),
        ("governance", 2), ("finance", 2),
    ]

    static let primaryNames = ["St Mary's Catholic", "St John's C of E", "St Anne's Catholic", "Christ Church C of E",
                               "Holy Family Catholic", "Park", "Meadow", "Grange", "Oakfield", "Hillside", "Brookside",
                               "Valley", "Green Lane", "Church Road", "Westfield", "Northwood", "Southfields", "Eastbrook",
                               "Moorside", "Woodlands", "Riverside", "Highfield", "Orchard", "Willow", "Beech Hill",
                               "Springfield", "Fairfield", "Castle", "Mill Lane", "Sacred Heart Catholic",
                               "St Paul's C of E", "Our Lady's Catholic", "Ashbrook", "Hollybank", "Lakeside", "Cherry Tree"]
    static let secondaryNames = ["High School", "Academy", "Community College", "Catholic High School", "School",
                                 "C of E High School", "Park Academy", "Technology College", "Grammar School"]
    static let firstNames = ["Helen", "Mark", "Sarah", "David", "Joanne", "Paul", "Rachel", "Andrew", "Claire", "James",
                             "Emma", "Michael", "Nicola", "Stephen", "Louise", "Richard", "Karen", "Simon", "Amanda",
                             "Christopher", "Priya", "Imran", "Aisha", "Tunde", "Grace", "Wei", "Sinéad", "Owen",
                             "Fatima", "Daniel", "Catherine", "Peter", "Hannah", "Gareth", "Ruth", "Mohammed", "Julie",
                             "Neil", "Angela", "Samuel"]
    static let surnames = ["Ashworth", "Fairclough", "Milburn", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
                           "Johnson", "Davies", "Patel", "Khan", "Robinson", "Wright", "Thompson", "Walker", "White",
                           "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "O'Brien", "Lewis", "Okafor",
                           "Nguyen", "Begum", "Hussain", "Murphy", "Shah", "Lee", "Price", "Bennett", "Doyle", "Rigby",
                           "Kowalski", "McDonald", "Ahmed", "Chen", "Evans", "Turner", "Parker"]
    static let leaveReasons = ["annual leave", "planned surgery", "Ofsted inspector training", "family commitment",
                               "conference", "trust board residential"]

    // MARK: - Generation

    /// Generates the scenario; throws `GeneratorError` for counts outside `schoolRange` / `adviserRange`.
    /// - Parameters:
    ///   - travelUsesCapacity: the scenario's rule (see `Rules.travelUsesCapacity`). Off by default: advisers
    ///     are contracted and paid by the visit day, travel being part of the day, as in the DfE's programmes.
    ///   - candidateAdvisers: the scenario's `rules.candidate_advisers`, which the leads must fit under too.
    public static func generate(schools n: Int, advisers m: Int, seed: UInt64 = 1, travelUsesCapacity: Bool = false,
                                candidateAdvisers: Int? = nil) throws -> Scenario {
        try validate(schools: n, advisers: m)
        let table = localAuthorities

        // Where: about 50 schools per local authority, at least one adviser per authority used.
        var pick = SplitMix64(seed: seed, stream: 1)
        let k = min(table.count, m, max(1, (n + 49) / 50))
        // Weighted sampling without replacement (Efraimidis-Spirakis keys), ties broken by table order.
        let keys = table.indices.map { i in (key: pow(pick.unit(), 1 / Double(table[i].schools)), index: i) }
        let chosen = keys.sorted { $0.key != $1.key ? $0.key > $1.key : $0.index < $1.index }.prefix(k).map(\.index).sorted()
        let schoolsPerLA = apportion(n, weights: chosen.map { Double(table[$0].schools) })
        let advisersPerLA = apportion(m, weights: schoolsPerLA.map(Double.init))

        // Trusts: each authority used has two or three of its region's trusts.
        var trustRNG = SplitMix64(seed: seed, stream: 2)
        let laTrusts: [[String]] = chosen.map { i in
            var pool = trusts(in: table[i].region)
            var picked: [String] = []
            for _ in 0..<trustRNG.int(2...3) { picked.append(pool.remove(at: trustRNG.int(0...(pool.count - 1)))) }
            return picked
        }

        // Schools: each in one of its authority's towns, chosen by the town's weight, named after it and
        // scattered about its centre.
        var rng = SplitMix64(seed: seed, stream: 3)
        var schools: [School] = []
        schools.reserveCapacity(n)
        var schoolLA: [Int] = [], schoolTown: [Int] = []
        schoolLA.reserveCapacity(n)
        schoolTown.reserveCapacity(n)
        var usedNames = Set<String>()
        for (slot, laIndex) in chosen.enumerated() {
            let la = table[laIndex]
            let townWeights = la.towns.map(\.weight)
            for _ in 0..<schoolsPerLA[slot] {
                let id = "G" + pad(schools.count + 1, 6)
                let phase: Phase = [Phase.primary, .secondary, .allThrough, .special][rng.weighted([80, 17, 1.5, 1.5])]
                let inTrust = rng.chance(phase == .primary ? 0.42 : phase == .special ? 0.4 : 0.8)
                let trust = inTrust ? rng.pick(laTrusts[slot]) : nil
                let town = rng.weighted(townWeights)
                var name = ""
                for _ in 0..<4 {
                    name = schoolName(phase: phase, town: la.towns[town].name, academy: inTrust, rng: &rng)
                    if !usedNames.contains(name) { break }
                }
                usedNames.insert(name)
                let pupils: Int
                switch phase {
                case .primary: pupils = Int(max(60, 240 + 90 * rng.bell()).rounded())
                case .secondary: pupils = Int(max(400, 1050 + 280 * rng.bell()).rounded())
                case .allThrough: pupils = Int(max(700, 1500 + 300 * rng.bell()).rounded())
                default: pupils = Int(max(40, 120 + 40 * rng.bell()).rounded())
                }
                let fsm = (min(95, max(0, la.fsmMedian + la.fsmSpread * rng.bell())) * 10).rounded() / 10
                let grade: Int? = [1, 2, 3, 4, 0][rng.weighted([13, 66, 15, 3, 3])]
                let location = near(la.towns[town], &rng)
                schools.append(School(id: id, name: name, phase: phase, localAuthority: la.name, trust: trust, pupils: pupils,
                                      disadvantagedPercent: fsm, inspectionGrade: grade == 0 ? nil : grade, location: location))
                schoolLA.append(slot)
                schoolTown.append(town)
            }
        }

        // Needs: one to three areas per school, whole or half days from 2 to 8, more urgent where
        // disadvantage is high or the last inspection was weak.
        var needRNG = SplitMix64(seed: seed, stream: 4)
        var needs: [Need] = []
        needs.reserveCapacity(n * 2)
        var needAreasBySchool: [[String]] = []
        needAreasBySchool.reserveCapacity(n)
        for school in schools {
            let count = 1 + needRNG.weighted([40, 40, 20])
            var weights = needAreas.map { $0.weight }
            if school.phase != .primary && school.phase != .allThrough, let i = needAreas.firstIndex(where: { $0.area == "early-years" }) {
                weights[i] = 0
            }
            var areas: [String] = []
            for _ in 0..<count {
                let i = needRNG.weighted(weights)
                weights[i] = 0
                areas.append(needAreas[i].area)
                let halfDays = Int(13 * pow(needRNG.unit(), 1.6))   // 0...12, skewed to small needs
                var urgency = 1.6 + needRNG.uniform(-1, 1)
                if school.disadvantagedPercent >= 35 { urgency += 0.7 }
                if (school.inspectionGrade ?? 2) >= 3 { urgency += 0.8 }
                if areas.count == 1 { urgency += 0.3 }
                needs.append(Need(school: school.id, area: needAreas[i].area, days: 2 + 0.5 * Double(halfDays),
                                  priority: min(3, max(1, Int(urgency.rounded())))))
            }
            needAreasBySchool.append(areas)
        }

        // Advisers: sized from the demand per school, so capacity is about 110% of demand at the DfE ratio
        // and scales with the number of advisers otherwise.
        let rules: Rules = {
            var r = Rules()
            r.independence = .trust
            r.leadDays = 2
            r.maxTravelMinutes = 60
            r.travelUsesCapacity = travelUsesCapacity
            r.candidateAdvisers = candidateAdvisers
            return r
        }()
        let needDays = needs.reduce(0) { $0 + $1.days }
        let demandPerSchool = (needDays / Double(n) + rules.leadDays) * (travelUsesCapacity ? travelAllowance : 1)
        // (3% more makes up for the part-timers' capacity capped below to fit their weeks.)
        let meanCapacity = demandPerSchool * programmeSchoolsPerAdviser * capacityMargin * 1.03
        let schoolsOfLA: [[Int]] = {
            var lists = Array(repeating: [Int](), count: chosen.count)
            for (i, slot) in schoolLA.enumerated() { lists[slot].append(i) }
            return lists
        }()
        let travel = TravelModel()
        var adviserRNG = SplitMix64(seed: seed, stream: 5)
        var advisers: [Adviser] = []
        advisers.reserveCapacity(m)
        var adviserLA: [Int] = []
        let roles: [(role: String, weight: Double, rate: ClosedRange<Int>)] = [
            ("serving headteacher", 30, 450...600), ("executive headteacher", 12, 550...700), ("trust CEO", 6, 650...800),
            ("Ofsted inspector", 18, 550...750), ("former HMI", 10, 650...800), ("local authority adviser", 12, 450...600),
            ("independent consultant", 12, 500...750),
        ]
        let expertWeights = needAreas.map { 4 + $0.weight }
        for (slot, laIndex) in chosen.enumerated() {
            let la = table[laIndex]
            let townWeights = la.towns.map(\.weight)
            // Minutes from each of the authority's schools to the nearest adviser's home so far.
            var nearest = schoolsOfLA[slot].map { _ in Double.infinity }
            for _ in 0..<advisersPerLA[slot] {
                let id = "A" + pad(advisers.count + 1, m >= 1000 ? 4 : 3)
                let name = (adviserRNG.chance(0.08) ? "Dr " : "") + adviserRNG.pick(firstNames) + " " + adviserRNG.pick(surnames)
                let role = roles[adviserRNG.weighted(roles.map(\.weight))]
                let phases: [Phase] = [[.primary], [.secondary], [.primary, .secondary], [.primary, .special],
                                       [.secondary, .allThrough], [.primary, .secondary, .allThrough, .special]][
                    adviserRNG.weighted([45, 15, 25, 6, 5, 4])]
                var weights = expertWeights
                var expertise: [Expertise] = []
                for _ in 0..<adviserRNG.int(2...4) {
                    let i = adviserRNG.weighted(weights)
                    weights[i] = 0
                    expertise.append(Expertise(area: needAreas[i].area, level: 1 + adviserRNG.weighted([25, 45, 30])))
                }
                let capacity = max(5, (meanCapacity * adviserRNG.uniform(0.7, 1.3)).rounded())
                let maxSchools = max(3, min(20, Int((capacity / demandPerSchool * adviserRNG.uniform(1.4, 1.9)).rounded())))
                let rate = Double(role.rate.lowerBound + 25 * adviserRNG.int(0...((role.rate.upperBound - role.rate.lowerBound) / 25)))
                // Home: in a town of the authority chosen by weight, but while a school is more than 45 minutes from
                // every adviser so far, in that school's town (so that spread-out counties are covered first).
                let far = nearest.indices.max { nearest[$0] < nearest[$1] }!
                let town = nearest[far] > rules.maxTravelMinutes * 0.75 ? schoolTown[schoolsOfLA[slot][far]]
                    : adviserRNG.weighted(townWeights)
                let home = near(la.towns[town], &adviserRNG)
                for (i, s) in schoolsOfLA[slot].enumerated() {
                    nearest[i] = min(nearest[i], travel.minutes(from: home, to: schools[s].location))
                }
                var employerTrust: String? = nil
                var employerLA: String? = adviserRNG.chance(0.85) ? la.name : nil
                var homeSchool: String? = nil
                switch role.role {
                case "serving headteacher", "executive headteacher":
                    // They lead a school of their own authority: never advise it, and are employed by its trust.
                    let own = schools[adviserRNG.pick(schoolsOfLA[slot])]
                    homeSchool = own.id
                    employerTrust = own.trust
                    employerLA = la.name
                case "trust CEO":
                    employerTrust = adviserRNG.pick(laTrusts[slot])
                case "local authority adviser":
                    employerLA = la.name
                default:
                    break
                }
                advisers.append(Adviser(id: id, name: name, role: role.role, home: home, phases: phases, expertise: expertise,
                                        capacityDays: capacity, maxSchools: maxSchools, dayRate: rate, employerTrust: employerTrust,
                                        employerLocalAuthority: employerLA, homeSchool: homeSchool))
                adviserLA.append(slot)
            }
        }

        // Every school gets at least one adviser of its own authority who may work with it (phase,
        // independence, expertise, travel); where none can, the nearest fix is made to an adviser within
        // reach (a phase or an area added) or, failing that, to the school (no trust).
        var advisersOfLA = Array(repeating: [Int](), count: chosen.count)
        for (i, slot) in adviserLA.enumerated() { advisersOfLA[slot].append(i) }
        func eligible(_ a: Adviser, _ s: School, _ areas: [String]) -> Bool {
            a.phases.contains(s.phase) && a.homeSchool != s.id && (s.trust == nil || a.employerTrust != s.trust)
                && areas.contains { a.level(in: $0) > 0 }
                && travel.minutes(from: a.home, to: s.location) <= rules.maxTravelMinutes
        }
        var moveRNG = SplitMix64(seed: seed, stream: 9)
        for (si, slot) in schoolLA.enumerated() {
            let school = schools[si]
            let areas = needAreasBySchool[si]
            let local = advisersOfLA[slot]
            if local.contains(where: { eligible(advisers[$0], school, areas) }) { continue }
            let start = si % local.count
            let rotated = (0..<local.count).map { local[($0 + start) % local.count] }
            func reaching(_ place: GeoPoint) -> [Int] { rotated.filter { travel.minutes(from: advisers[$0].home, to: place) <= rules.maxTravelMinutes } }
            var inReach = reaching(school.location)
            if inReach.isEmpty {
                // Only where the authority has too few advisers to cover its towns (a generated 5 x 1 had three
                // Cornish schools beyond its one adviser's reach): the school moves to the town nearest the
                // first of them, and takes that town's name.
                let la = table[chosen[slot]]
                let home = advisers[rotated[0]].home
                let town = la.towns.indices.min { a, b in
                    (travel.minutes(from: home, to: GeoPoint(latitude: la.towns[a].latitude, longitude: la.towns[a].longitude)), a)
                        < (travel.minutes(from: home, to: GeoPoint(latitude: la.towns[b].latitude, longitude: la.towns[b].longitude)), b)
                }!
                var name = school.name
                for _ in 0..<4 {
                    name = schoolName(phase: school.phase, town: la.towns[town].name, academy: school.trust != nil, rng: &moveRNG)
                    if !usedNames.contains(name) { break }
                }
                usedNames.insert(name)
                schools[si].name = name
                schools[si].location = near(la.towns[town], &moveRNG)
                schoolTown[si] = town
                inReach = reaching(schools[si].location)
            }
            let order = inReach.isEmpty ? rotated : inReach
            let independent = order.first { a in
                advisers[a].homeSchool != school.id && (school.trust == nil || advisers[a].employerTrust != school.trust)
            }
            if independent == nil { schools[si].trust = nil }
            let a = independent ?? order.first { advisers[$0].homeSchool != school.id } ?? order[0]
            if advisers[a].homeSchool == school.id { advisers[a].homeSchool = nil }
            if !advisers[a].phases.contains(school.phase) { advisers[a].phases = (advisers[a].phases + [school.phase]).sorted() }
            if !areas.contains(where: { advisers[a].level(in: $0) > 0 }) {
                advisers[a].expertise = (advisers[a].expertise + [Expertise(area: areas[0], level: 2)]).sorted { $0.area < $1.area }
            }
        }

        // The programme: one academic year with its three terms and half-terms.
        let programmeStart = date(2026, 9, 1), programmeEnd = date(2027, 7, 21)
        let terms = [
            Term(name: "Autumn 2026", start: date(2026, 9, 1), end: date(2026, 12, 18),
                 halfTerm: DateRange(start: date(2026, 10, 26), end: date(2026, 10, 30))),
            Term(name: "Spring 2027", start: date(2027, 1, 4), end: date(2027, 3, 25),
                 halfTerm: DateRange(start: date(2027, 2, 15), end: date(2027, 2, 19))),
            Term(name: "Summer 2027", start: date(2027, 4, 12), end: date(2027, 7, 21),
                 halfTerm: DateRange(start: date(2027, 5, 31), end: date(2027, 6, 4))),
        ]
        var visits = VisitSettings()
        visits.minGapDays = 14
        visits.maxDaysPerWeek = 4
        let meanRate = advisers.reduce(0) { $0 + $1.dayRate } / Double(m)
        let demandCost = (needDays + rules.leadDays * Double(n)) * meanRate * capacityMargin
        let budget = (demandCost / 1000).rounded(.up) * 1000
        let programme = Programme(
            name: "Generated programme (\(n) schools, \(m) advisers, seed \(seed))",
            description: "Synthetic scenario made by `adviser-planner generate --schools \(n) --advisers \(m) --seed \(seed)`: real local authority names and free-school-meal levels, invented schools, advisers and needs",
            start: programmeStart, end: programmeEnd, budget: budget)
        var scenario = Scenario(programme: programme, rules: rules, schools: schools, advisers: advisers, needs: needs,
                                terms: terms, visits: visits)
        let schoolDays = ProgrammeCalendar(scenario: scenario).schoolDays

        // Closures for about one school in ten: INSET days, and the KS2 tests week for some primaries.
        var calendarRNG = SplitMix64(seed: seed, stream: 6)
        var closures: [String: [DateRange]] = [:]
        let satsWeek = DateRange(start: date(2027, 5, 10), end: date(2027, 5, 13), reason: "KS2 SATs week")
        for school in schools where calendarRNG.chance(0.1) {
            var days: [CivilDate] = []
            for _ in 0..<calendarRNG.int(1...2) {
                let d = calendarRNG.pick(schoolDays)
                if !days.contains(d) { days.append(d) }
            }
            var ranges = days.sorted().map { DateRange(start: $0, end: $0, reason: "INSET day") }
            if school.phase == .primary && calendarRNG.chance(0.3) { ranges.append(satsWeek) }
            closures[school.id] = ranges.sorted { $0.start < $1.start }
        }
        // Weekdays for about three advisers in ten (two to four days), leave for about one in eight.
        var availability: [String: AdviserAvailability] = [:]
        var leave: [String: [DateRange]] = [:]
        for (index, adviser) in advisers.enumerated() {
            if calendarRNG.chance(0.3) {
                var days = [1, 2, 3, 4, 5]
                for i in stride(from: 4, to: 0, by: -1) { days.swapAt(i, calendarRNG.int(0...i)) }
                let weekdays = Array(days.prefix(calendarRNG.int(2...4))).sorted()
                let preferred = calendarRNG.chance(0.5) ? [calendarRNG.pick(weekdays)] : []
                let perWeek = min(weekdays.count, 3)
                availability[adviser.id] = AdviserAvailability(adviser: adviser.id, weekdays: weekdays, preferredWeekdays: preferred,
                                                               maxDaysPerWeek: perWeek)
                // A part-timer's capacity fits their weeks, with room for gaps between visits.
                let limit = (0.75 * Double(perWeek) * Double(schoolDays.count) / 5).rounded(.down)
                if advisers[index].capacityDays > limit {
                    advisers[index].capacityDays = limit
                    advisers[index].maxSchools = max(3, min(advisers[index].maxSchools, Int((limit / demandPerSchool * 1.6).rounded())))
                }
            }
            if calendarRNG.chance(0.125) {
                let first = calendarRNG.pick(schoolDays)
                let last = min(programmeEnd, first.adding(days: calendarRNG.int(0...11)))
                leave[adviser.id] = [DateRange(start: first, end: last, reason: calendarRNG.pick(leaveReasons))]
            }
        }
        scenario.advisers = advisers
        scenario.closures = closures
        scenario.availability = availability
        scenario.leave = leave
        makeLeadsFit(&scenario)
        return scenario
    }

    /// Where a group of schools can be led only by advisers with fewer places than it has schools (as happened in
    /// a wide county such as Cornwall, where one adviser was the only possible lead of 16 schools and could take
    /// 12), those advisers take more schools, as a programme manager would arrange: so that every generated
    /// scenario has a plan. Each missing place goes to the group's adviser with the most days to spare per place,
    /// with capacity for the lead days when theirs is full.
    static func makeLeadsFit(_ scenario: inout Scenario) {
        for _ in 0..<8 {
            let table = EligibilityTable(scenario: scenario)
            guard let matching = table.leadMatching(among: table.eligiblePairs()), !matching.everySchoolLed else { return }
            let leadLoad = scenario.rules.leadDays * scenario.capacityPerVisitDay(travelMinutes: scenario.rules.maxTravelMinutes)
            for shortfall in matching.shortfalls {
                for _ in 0..<(shortfall.schools.count - shortfall.places) {
                    func spare(_ a: Int) -> Double { scenario.advisers[a].capacityDays / Double(scenario.advisers[a].maxSchools + 1) }
                    // (A school nobody may work with has no adviser to give a place; the fix above prevents one.)
                    guard let a = shortfall.advisers.max(by: { (spare($0), -$0) < (spare($1), -$1) }) else { break }
                    scenario.advisers[a].maxSchools += 1
                    let needed = Double(scenario.advisers[a].maxSchools) * leadLoad
                    if scenario.advisers[a].capacityDays < needed { scenario.advisers[a].capacityDays = needed.rounded(.up) }
                }
            }
        }
    }

    static func schoolName(phase: Phase, town: String, academy: Bool, rng: inout SplitMix64) -> String {
        switch phase {
        case .primary, .nursery:
            let kind = rng.pick(primaryNames)
            return "\(town) \(kind) Primary \(academy && rng.chance(0.5) ? "Academy" : "School")"
        case .secondary:
            return "\(town) \(rng.pick(secondaryNames))"
        case .allThrough:
            return "\(town) \(rng.pick(["All-Through Academy", "Academy", "School"]))"
        case .special, .alternativeProvision:
            return "\(town) \(rng.pick(["Park", "Meadow", "Oak", "Willow", "Brook"])) \(rng.pick(["Special School", "School", "Academy"]))"
        }
    }

    /// Splits `total` into parts proportional to `weights`, each at least 1 when `total >= weights.count`
    /// (largest remainders, ties by position).
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let floor = total >= weights.count ? 1 : 0
        var parts = Array(repeating: floor, count: weights.count)
        let rest = total - floor * weights.count
        let sum = weights.reduce(0, +)
        var remainders: [(Double, Int)] = []
        var given = 0
        for (i, w) in weights.enumerated() {
            let share = Double(rest) * w / sum
            parts[i] += Int(share)
            given += Int(share)
            remainders.append((share - Double(Int(share)), i))
        }
        for (_, i) in remainders.sorted(by: { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }).prefix(rest - given) { parts[i] += 1 }
        return parts
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

    /// A point scattered about `town`'s centre, roughly normal in each direction with the town's spread (and at
    /// most 3.5 spreads, about 7 km, from it in each), rounded as the files write it.
    static func near(_ town: Town, _ rng: inout SplitMix64) -> GeoPoint {
        let north = town.spreadKm * rng.bell(), east = town.spreadKm * rng.bell()
        return GeoPoint(latitude: round4(town.latitude + north / 111.2),
                        longitude: round4(town.longitude + east / (111.2 * cos(town.latitude * .pi / 180))))
    }

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }
}
