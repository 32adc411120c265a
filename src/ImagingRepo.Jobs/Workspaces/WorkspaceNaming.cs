using System.Security.Cryptography;
using System.Text;
using ImagingRepo.Jobs.Specs;

namespace ImagingRepo.Jobs.Workspaces;

/// <summary>
/// Maps user names to workspace namespaces: <c>user-&lt;username&gt;</c> when the name is already a safe label,
/// otherwise a sanitised stem plus <c>--</c> and 10 hex digits of the name's SHA-256. Safe names never contain
/// <c>--</c>, so a hashed name can never equal a safe one; two different names collide only on a 40-bit hash collision,
/// which provisioning detects through the namespace's user-name annotation.
/// </summary>
public static class WorkspaceNaming
{
    private const int HashChars = 10;

    /// <summary>The namespace of <paramref name="username"/>'s workspace.</summary>
    /// <param name="username">The platform user name.</param>
    /// <param name="prefix">Namespace prefix, e.g. <c>user-</c>.</param>
    /// <exception cref="JobsValidationException">The user name is empty, too long or contains control characters.</exception>
    public static string NamespaceFor(string username, string prefix = "user-")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (string.IsNullOrEmpty(username))
        {
            throw new JobsValidationException("username", "is required");
        }

        if (username.Length > 256)
        {
            throw new JobsValidationException("username", $"is {username.Length} characters long; at most 256 are allowed");
        }

        foreach (char c in username)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new JobsValidationException("username", "contains whitespace or control characters");
            }
        }

        string direct = prefix + username;
        if (direct.Length <= KubernetesNames.MaxLabelLength && KubernetesNames.IsDns1123Label(direct)
            && !username.Contains("--", StringComparison.Ordinal))
        {
            return direct;
        }

        var stem = new StringBuilder(username.Length);
        foreach (char c in username.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                stem.Append(c);
            }
            else if (stem.Length > 0 && stem[^1] != '-')
            {
                stem.Append('-');
            }
        }

        int room = KubernetesNames.MaxLabelLength - prefix.Length - 2 - HashChars;
        string safe = stem.ToString(0, Math.Min(stem.Length, Math.Max(room, 0))).Trim('-');
        if (safe.Length == 0)
        {
            safe = "u";
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(username));
        string name = $"{prefix}{safe}--{Convert.ToHexStringLower(hash)[..HashChars]}";
        KubernetesNames.RequireDns1123Label("namespacePrefix", name);
        return name;
    }
}
