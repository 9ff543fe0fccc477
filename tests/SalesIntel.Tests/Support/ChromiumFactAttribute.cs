namespace SalesIntel.Tests.Support;

/// <summary>
/// A fact that needs the Debian Chromium at <see cref="HeadlessChromium.Path"/>; without it the test is reported as
/// skipped with the reason and the fix (.ci/install-chromium.sh), never passed silently.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is absent.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(HeadlessChromium.Path))
        {
            Skip = $"{HeadlessChromium.Path} is missing: the headless-browser test of the run report did not run. Install it with .ci/install-chromium.sh (apt-get install -y chromium).";
        }
    }
}
