/// The dashboard's web page: markup, style and script, written here and served as they are.
enum DashboardPage {}
