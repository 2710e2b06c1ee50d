using Microsoft.AspNetCore.Http;

namespace AlignLab.Server.Api;

/// <summary>
/// A request the server refuses, answered with its HTTP status and an OpenAI-style body
/// <c>{"error": {"message", "type", "param", "code"}}</c>.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string message, string type, string? param = null, string? code = null) : base(message)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code;
    }

    public ApiException() : this(StatusCodes.Status400BadRequest, "bad request", InvalidRequest) { }

    public ApiException(string message) : this(StatusCodes.Status400BadRequest, message, InvalidRequest) { }

    public ApiException(string message, Exception inner) : base(message, inner)
    {
        Status = StatusCodes.Status400BadRequest;
        Type = InvalidRequest;
    }

    public const string InvalidRequest = "invalid_request_error";

    public int Status { get; }

    /// <summary>OpenAI's error type: invalid_request_error, authentication_error, not_found_error, server_error.</summary>
    public string Type { get; }

    /// <summary>The request field at fault, as a path ("messages[1].content"); null when none.</summary>
    public string? Param { get; }

    /// <summary>A machine-readable code (model_not_found, context_length_exceeded, invalid_type...); null when none.</summary>
    public string? Code { get; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null)
        => new(StatusCodes.Status400BadRequest, message, InvalidRequest, param, code);
}
