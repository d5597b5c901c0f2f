using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>
/// The host fingerprint of the spec: <c>sha256:</c> and 64 lower-case hex digits. This client hashes the
/// machine id (<c>/etc/machine-id</c>, or the host name where there is none) and the host name.
/// </summary>
public static partial class HostFingerprint
{
    public const string Prefix = "sha256:";

    /// <summary>The fingerprint of the machine this runs on.</summary>
    public static string OfThisMachine()
    {
        var hostName = Environment.MachineName;
        return Of(MachineId() ?? hostName, hostName);
    }

    /// <summary><c>sha256:</c> + lower hex SHA-256 of the UTF-8 of <paramref name="machineId"/>, a line feed and <paramref name="hostName"/>.</summary>
    public static string Of(string machineId, string hostName)
    {
        ArgumentNullException.ThrowIfNull(machineId);
        ArgumentNullException.ThrowIfNull(hostName);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{machineId.Trim()}\n{hostName.Trim()}"));
        return Prefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether <paramref name="value"/> is <c>sha256:</c> and exactly 64 lower-case hex digits.</summary>
    public static bool IsValid(string? value) => value is not null && Form().IsMatch(value);

    private static string? MachineId()
    {
        try
        {
            var id = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : "";
            return id.Length > 0 ? id : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Form();
}
