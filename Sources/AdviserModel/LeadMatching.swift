/// Whether every school can have a lead at once, each adviser leading at most their `places`: a bipartite
/// b-matching, found by augmenting paths. When it cannot, the schools reached from an unled school by
/// alternating paths are a group whose possible leads are all full (Hall's condition fails there): that group
/// is what a programme manager has to change, so it is what the answer gives.
///
/// It is a necessary condition only: it ignores the budget and the days the schools' needs take. Used by the
/// solver to refuse, before any search, a scenario whose leads cannot fit, and by `generate` to make sure
/// its scenarios are never such.
public struct LeadMatching: Sendable {
    /// A group of schools that can be led only by `advisers`, who have fewer places than there are schools.
    public struct Shortfall: Sendable, Equatable {
        /// Indices of the schools, ascending.
        public var schools: [Int]
        /// Indices of every adviser who may lead one of them, ascending.
        public var advisers: [Int]
        /// Leads those advisers can take in all.
        public var places: Int
    }

    /// The adviser leading each school, or nil where none could.
    public private(set) var leadOf: [Int?]
    /// Groups that cannot all be led, apart from one another (no adviser in two), in order of their first school.
    /// Each group's schools exceed its places by the number of them left without a lead.
    public private(set) var shortfalls: [Shortfall] = []

    /// - Parameters:
    ///   - options: for each school, the advisers who may lead it.
    ///   - places: for each adviser, how many schools they may lead (at least 0).
    public init(options: [[Int]], places: [Int]) {
        let schoolCount = options.count, adviserCount = places.count
        leadOf = Array(repeating: nil, count: schoolCount)
        var led = [[Int]](repeating: [], count: adviserCount)
        // Schools with the fewest options first: the greedy start then leaves few to augment.
        let order = (0..<schoolCount).sorted { (options[$0].count, $0) < (options[$1].count, $1) }
        for school in order {
            if let adviser = options[school].first(where: { led[$0].count < places[$0] }) {
                leadOf[school] = adviser
                led[adviser].append(school)
            }
        }
        // Breadth-first alternating paths from each school still without a lead; stamps avoid clearing arrays.
        // A search that fails leaves a closed group: its schools may be led only by its advisers, all full, and
        // those advisers lead only its schools. No later path can free a place there, so later searches skip
        // the group's advisers and only note that they reached it (a shared group is one shortfall).
        var schoolSeen = [Int](repeating: -1, count: schoolCount), adviserSeen = [Int](repeating: -1, count: adviserCount)
        var reachedFrom = [Int](repeating: -1, count: adviserCount)
        var groupOfAdviser = [Int](repeating: -1, count: adviserCount)
        var parentGroup: [Int] = []
        func root(_ group: Int) -> Int {
            var g = group
            while parentGroup[g] != g { g = parentGroup[g] }
            return g
        }
        var groupSchools: [[Int]] = [], groupAdvisers: [[Int]] = []
        var queue: [Int] = [], reachedGroups: [Int] = []
        for start in 0..<schoolCount where leadOf[start] == nil {
            queue.removeAll(keepingCapacity: true)
            reachedGroups.removeAll(keepingCapacity: true)
            var seenAdvisers: [Int] = []
            queue.append(start)
            schoolSeen[start] = start
            var head = 0
            var free: Int? = nil
            search: while head < queue.count {
                let school = queue[head]
                head += 1
                for adviser in options[school] where adviserSeen[adviser] != start {
                    adviserSeen[adviser] = start
                    if groupOfAdviser[adviser] >= 0 { reachedGroups.append(groupOfAdviser[adviser]); continue }
                    seenAdvisers.append(adviser)
                    reachedFrom[adviser] = school
                    if led[adviser].count < places[adviser] { free = adviser; break search }
                    for other in led[adviser] where schoolSeen[other] != start {
                        schoolSeen[other] = start
                        queue.append(other)
                    }
                }
            }
            if var adviser = free {
                // Each school on the path moves to the adviser that reached it; the start takes the last place freed.
                while true {
                    let school = reachedFrom[adviser]
                    let previous = leadOf[school]
                    if let previous { led[previous].removeAll { $0 == school } }
                    leadOf[school] = adviser
                    led[adviser].append(school)
                    guard let previous else { break }
                    adviser = previous
                }
            } else {
                let group = parentGroup.count
                parentGroup.append(group)
                groupSchools.append(queue)
                groupAdvisers.append(seenAdvisers)
                for a in seenAdvisers { groupOfAdviser[a] = group }
                for reached in reachedGroups { parentGroup[root(reached)] = group }
            }
        }
        var members = [Int: (schools: [Int], advisers: [Int])]()
        for group in parentGroup.indices {
            let r = root(group)
            members[r, default: ([], [])].schools += groupSchools[group]
            members[r, default: ([], [])].advisers += groupAdvisers[group]
        }
        shortfalls = members.values.map { group in
            let advisers = group.advisers.sorted()
            return Shortfall(schools: group.schools.sorted(), advisers: advisers, places: advisers.reduce(0) { $0 + places[$1] })
        }.sorted { $0.schools[0] < $1.schools[0] }
    }

    /// Whether every school has a lead.
    public var everySchoolLed: Bool { shortfalls.isEmpty }
}

extension LeadMatching {
    /// The least that a lead for every school can cost when each adviser leads at most their `places` at
    /// `costOfLead` each, and the leads that cost it; nil when not every school can be led.
    ///
    /// A cost that belongs to the adviser, not the pair, makes this a matroid problem: the sets of adviser
    /// places that can be filled at once are the independent sets of a transversal matroid, so taking places
    /// cheapest adviser first, each when an augmenting path can still fill it, gives a largest matching of
    /// least cost (the greedy algorithm on a matroid). Each school's cheapest lead summed ignores that the
    /// cheap advisers run out of places: on a generated 430 x 65 (seed 1) that sum is £450,600, while no plan
    /// costs less than this figure, £477,450, and one costs exactly that.
    public static func cheapestLeads(options: [[Int]], places: [Int], costOfLead: [Double]) -> (cost: Double, leadOf: [Int])? {
        let schoolCount = options.count, adviserCount = places.count
        var schoolsOf = [[Int]](repeating: [], count: adviserCount)
        for s in 0..<schoolCount { for a in options[s] { schoolsOf[a].append(s) } }
        var leadOf = [Int](repeating: -1, count: schoolCount)
        var ledCount = [Int](repeating: 0, count: adviserCount)
        // A school once led stays led (a path only moves it), so each adviser's first possibly unled school
        // only moves forward.
        var firstUnled = [Int](repeating: 0, count: adviserCount)
        func unledSchool(of a: Int) -> Int? {
            while firstUnled[a] < schoolsOf[a].count, leadOf[schoolsOf[a][firstUnled[a]]] >= 0 { firstUnled[a] += 1 }
            return firstUnled[a] < schoolsOf[a].count ? schoolsOf[a][firstUnled[a]] : nil
        }
        // Stamps of the search that last reached each adviser, the school it was reached by (the one it would
        // give up) and the adviser who would take that school.
        var seen = [Int](repeating: -1, count: adviserCount)
        var reachedBy = [Int](repeating: -1, count: adviserCount), previous = reachedBy
        var queue: [Int] = []
        var led = 0, searches = 0
        for a in (0..<adviserCount).sorted(by: { (costOfLead[$0], $0) < (costOfLead[$1], $1) }) {
            while ledCount[a] < places[a], led < schoolCount {
                if let s = unledSchool(of: a) {
                    leadOf[s] = a
                    ledCount[a] += 1
                    led += 1
                    continue
                }
                // Breadth first from a: a takes a school led by x, who takes one led by y, ... until someone can
                // take an unled school.
                searches += 1
                queue.removeAll(keepingCapacity: true)
                queue.append(a)
                seen[a] = searches
                var end: (adviser: Int, school: Int)? = nil
                var head = 0
                search: while head < queue.count {
                    let x = queue[head]
                    head += 1
                    for s in schoolsOf[x] {
                        let y = leadOf[s]
                        guard y >= 0, y != x, seen[y] != searches else { continue }
                        seen[y] = searches
                        reachedBy[y] = s
                        previous[y] = x
                        if let free = unledSchool(of: y) { end = (y, free); break search }
                        queue.append(y)
                    }
                }
                // No path: none of a's places can be filled (nor can any later search fill one).
                guard var (x, school) = end else { break }
                // Each adviser on the path takes the school offered and hands the one it was reached by back.
                while true {
                    leadOf[school] = x
                    if x == a { break }
                    school = reachedBy[x]
                    x = previous[x]
                }
                ledCount[a] += 1
                led += 1
            }
        }
        guard led == schoolCount else { return nil }
        return (leadOf.reduce(0) { $0 + costOfLead[$1] }, leadOf)
    }
}
