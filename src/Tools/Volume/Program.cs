using System.Diagnostics;

namespace ChaosModular.Volume;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        VolumeArguments arguments;
        try
        {
            arguments = VolumeArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(VolumeArguments.Usage);
            return 2;
        }
        var watch = Stopwatch.StartNew();
        using var host = VolumeHost.Build(arguments);
        var report = await VolumeHost.RunAsync(host, arguments, CancellationToken.None);
        Console.WriteLine(report);
        Console.WriteLine($"{arguments.Profile.ToString().ToLowerInvariant()} profile filled in {watch.Elapsed.TotalSeconds:0.0} s (seed {arguments.Seed})");
        return 0;
    }
}
