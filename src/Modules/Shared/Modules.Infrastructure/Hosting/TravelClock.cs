using System.Globalization;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>
/// The real clock moved by a whole number of days read from a file, so end-to-end tests can move the
/// clock of the web host and the worker together (both read the same file). Used only when
/// <c>Testing:ClockOffsetFile</c> is set, which no deployed configuration does.
/// </summary>
internal sealed class TravelClock(string offsetFile) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTime _readFileTimeUtc = DateTime.MinValue;
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset();

    private TimeSpan Offset()
    {
        var written = File.Exists(offsetFile) ? File.GetLastWriteTimeUtc(offsetFile) : DateTime.MinValue;
        lock (_gate)
        {
            if (written != _readFileTimeUtc)
            {
                _readFileTimeUtc = written;
                _offset = written == DateTime.MinValue ? TimeSpan.Zero
                    : TimeSpan.FromDays(double.Parse(File.ReadAllText(offsetFile).Trim(), CultureInfo.InvariantCulture));
            }
            return _offset;
        }
    }
}
