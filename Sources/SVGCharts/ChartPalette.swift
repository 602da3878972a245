/// The colors of all charts: the Okabe–Ito palette, distinguishable with the common forms of
/// color blindness. Series and bar groups pick a color by index, so one VM keeps its color across
/// every chart of a report.
public enum ChartPalette {
    /// Okabe–Ito colors, the strongest on white first (yellow, the faintest, last).
    public static let colors = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#E69F00",  // orange
        "#CC79A7",  // reddish purple
        "#56B4E9",  // sky blue
        "#000000",  // black
        "#F0E442",  // yellow
    ]

    /// The color for `index`, wrapping around (negative indices too).
    public static func color(_ index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }

    /// Colors of shaded intervals (ColorBrewer Set2: soft, told apart from each other and from
    /// the series colors when drawn translucent).
    public static let bandColors = [
        "#FC8D62",  // salmon
        "#8DA0CB",  // lavender
        "#66C2A5",  // teal
        "#E78AC3",  // pink
        "#A6D854",  // lime
        "#FFD92F",  // yellow
        "#E5C494",  // tan
        "#B3B3B3",  // grey
    ]

    /// The band color for `index`, wrapping around (negative indices too).
    public static func bandColor(_ index: Int) -> String {
        bandColors[((index % bandColors.count) + bandColors.count) % bandColors.count]
    }

    /// Space-time diagram event colors.
    static let internalEvent = "#999999"
    static let sendEvent = "#0072B2"
    static let receiveEvent = "#009E73"

    /// Chart furniture.
    static let axis = "#444444"
    static let grid = "#e4e4e4"
    static let mutedText = "#666666"
}
