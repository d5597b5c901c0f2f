using System.Net;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>Where a command writes, what time it is and how it reaches the network; the real ones in <c>Program.Main</c>, others in tests.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error, TimeProvider Time, HttpClient Http);

/// <summary>The process: the console, the system clock and one HttpClient, handed to <see cref="Cli"/>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await Cli.RunAsync(args, new CommandContext(Console.Out, Console.Error, TimeProvider.System, http)).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>chaos-license-server COMMAND [options]</c>, dispatched to <see cref="Commands"/>; public so tests can run a
/// command in-process. Exit codes: 0 done, 1 refused or invalid (a file not genuine or expired, a value the spec does
/// not allow, the portal said no, no state), 2 the command line is wrong.
/// </summary>
public static class Cli
{
    public const int Success = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    /// <summary>Runs one command; never throws for the user's mistakes, a bad file, the network or the portal.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var command = args.Count > 0 ? args[0] : "help";
        var rest = args.Skip(1).ToList();
        var commands = new Commands(context);
        try
        {
            return command switch
            {
                "request" => commands.Request(rest),
                "verify" => await commands.VerifyAsync(rest).ConfigureAwait(false),
                "activate" => await commands.ActivateAsync(rest).ConfigureAwait(false),
                "licenses" => await commands.LicensesAsync(rest).ConfigureAwait(false),
                "lease" => await commands.LeaseAsync(rest).ConfigureAwait(false),
                "heartbeat" => await commands.HeartbeatAsync(rest).ConfigureAwait(false),
                "release" => await commands.ReleaseAsync(rest).ConfigureAwait(false),
                "help" or "--help" or "-h" => commands.Help(),
                _ => throw new UsageException($"Unknown command \"{command}\"."),
            };
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await context.Error.WriteLineAsync("Run `chaos-license-server help` for the commands and their options.").ConfigureAwait(false);
            return Usage;
        }
        catch (LicenseServerApiException e)
        {
            await context.Error.WriteLineAsync($"Refused by the portal: {e.Message}").ConfigureAwait(false);
            if (e.Status == (int)HttpStatusCode.Unauthorized)
            {
                await context.Error.WriteLineAsync("The secret is wrong or the server was deactivated in the portal: activate it again with a new code.").ConfigureAwait(false);
            }
            if (e.RetryAfter is { } wait)
            {
                await context.Error.WriteLineAsync($"Too many calls: try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.").ConfigureAwait(false);
            }
            return Refused;
        }
        catch (HttpRequestException e)
        {
            await context.Error.WriteLineAsync($"Cannot reach the portal: {e.Message}").ConfigureAwait(false);
            return Refused;
        }
        catch (TaskCanceledException)
        {
            await context.Error.WriteLineAsync("The portal did not answer in time.").ConfigureAwait(false);
            return Refused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return Refused;
        }
    }
}
