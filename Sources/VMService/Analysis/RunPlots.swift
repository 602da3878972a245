/// The plots of a run's analysis, as SVG.
struct RunPlots {
    struct Plot {
        var file: String
        var caption: String
        var svg: String
    }

    var all: [Plot] = []

    init(_ analysis: RunAnalysis) {}
}
