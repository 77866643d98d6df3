// Runs LlmTestServer on a port for manual and CLI testing of the LLM providers, e.g.
//   llmtestserver --port 8080 --latency-ms 200 --fault rate-limited:2*3 --random-fault slow:500@0.1
// then point an OpenAI-compatible client at http://127.0.0.1:8080/v1 (Anthropic: without /v1).
#include "tests/support/generationanswers.h"
#include "tests/support/llmtestserver.h"
#include "tests/support/solvefixtures.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using crucible::test::LlmTestServer;
using crucible::test::parseFault;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "llmtestserver: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("llmtestserver"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Loopback HTTP server speaking the OpenAI and Anthropic wire formats, with faults.\n"
        "Fault specs: rate-limited[:retryAfterS[:retryAfterMs]], server-error[:status], drop,\n"
        "drop-mid-stream[:afterChunks], stall[:afterChunks[:ms]], slow[:ms], fenced, prose,\n"
        "malformed[:garbage], truncated, empty, error-in-stream[:afterChunks]."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port on 127.0.0.1 (0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption latencyOption(QStringLiteral("latency-ms"),
                                           QStringLiteral("Base latency of every response."),
                                           QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption chunksOption(QStringLiteral("stream-chunks"),
                                          QStringLiteral("Content events per streamed answer."),
                                          QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption keyOption(QStringLiteral("api-key"),
                                       QStringLiteral("Require this key (Bearer / x-api-key)."),
                                       QStringLiteral("key"));
    const QCommandLineOption faultOption(
        QStringLiteral("fault"),
        QStringLiteral("Queue a fault for the next completion request(s); SPEC*N repeats it N "
                       "times. Repeatable."),
        QStringLiteral("spec"));
    const QCommandLineOption randomOption(
        QStringLiteral("random-fault"),
        QStringLiteral("SPEC@P: inject the fault with probability P. Repeatable."),
        QStringLiteral("spec@p"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
                                        QStringLiteral("Seed of the random faults."),
                                        QStringLiteral("seed"), QStringLiteral("1"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Print one line per request."));
    const QCommandLineOption generationOption(
        QStringLiteral("generation-answers"),
        QStringLiteral("Answer like a generating model: varied, schema-valid problems, with "
                       "this share of planted near-duplicates (0 to 1)."),
        QStringLiteral("duplicates"));
    const QCommandLineOption solveOption(
        QStringLiteral("solve-answers"),
        QStringLiteral("Answer like a solving model: solutions, critiques and verdicts that fit "
                       "their schemas (generation answers for anything else)."));
    const QCommandLineOption rejectOption(
        QStringLiteral("reject"),
        QStringLiteral("Act as a server that lacks these features and answers 400 when a request "
                       "uses them: tools (Anthropic tools/tool_choice), json_schema, json_object "
                       "(OpenAI response_format). Comma-separated, repeatable."),
        QStringLiteral("features"));
    parser.addOptions({portOption, latencyOption, chunksOption, keyOption, faultOption,
                       randomOption, seedOption, verboseOption, generationOption, solveOption,
                       rejectOption});
    parser.process(app);

    bool ok = false;
    LlmTestServer::Options options;
    options.port = parser.value(portOption).toUShort(&ok);
    if (!ok)
        return fail(QStringLiteral("--port must be a port number"));
    options.latencyMs = parser.value(latencyOption).toInt(&ok);
    if (!ok || options.latencyMs < 0)
        return fail(QStringLiteral("--latency-ms must be a non-negative number"));
    options.streamChunks = parser.value(chunksOption).toInt(&ok);
    if (!ok || options.streamChunks < 1)
        return fail(QStringLiteral("--stream-chunks must be at least 1"));
    options.apiKey = parser.value(keyOption).toUtf8();
    for (const QString &list : parser.values(rejectOption)) {
        for (const QString &feature : list.split(u',', Qt::SkipEmptyParts)) {
            const QString f = feature.trimmed();
            if (f == QStringLiteral("tools"))
                options.rejectTools = true;
            else if (f == QStringLiteral("json_schema"))
                options.rejectJsonSchema = true;
            else if (f == QStringLiteral("json_object"))
                options.rejectJsonObject = true;
            else
                return fail(QStringLiteral("--reject takes tools, json_schema, json_object; got %1")
                                .arg(f));
        }
    }

    LlmTestServer server(options);
    if (!server.isListening())
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(options.port));

    for (const QString &value : parser.values(faultOption)) {
        const qsizetype star = value.lastIndexOf(u'*');
        int times = 1;
        if (star >= 0) {
            times = QStringView(value).sliced(star + 1).toInt(&ok);
            if (!ok || times < 1)
                return fail(QStringLiteral("bad repeat count in --fault %1").arg(value));
        }
        const auto fault = parseFault(star >= 0 ? QStringView(value).first(star) : value);
        if (!fault)
            return fail(QStringLiteral("unknown fault: %1").arg(value));
        server.pushFault(*fault, times);
    }
    server.setRandomSeed(parser.value(seedOption).toULongLong());
    if (parser.isSet(generationOption)) {
        const double duplicates = parser.value(generationOption).toDouble(&ok);
        if (!ok || duplicates < 0 || duplicates > 1)
            return fail(QStringLiteral("--generation-answers wants a share from 0 to 1"));
        server.setAnswerHandler([duplicates](const nlohmann::json &request) {
            return crucible::test::generationAnswer(request, duplicates);
        });
    }
    if (parser.isSet(solveOption))
        server.setAnswerHandler(crucible::test::solveAnswer);
    for (const QString &value : parser.values(randomOption)) {
        const qsizetype at = value.lastIndexOf(u'@');
        const double probability = at < 0 ? -1 : QStringView(value).sliced(at + 1).toDouble(&ok);
        const auto fault = at < 0 ? std::nullopt : parseFault(QStringView(value).first(at));
        if (at < 0 || !ok || probability < 0 || probability > 1 || !fault)
            return fail(QStringLiteral("--random-fault wants SPEC@PROBABILITY, got %1").arg(value));
        server.addRandomFault(*fault, probability);
    }

    if (parser.isSet(verboseOption)) {
        QObject::connect(&server, &LlmTestServer::requestReceived, &server, [&server] {
            if (const auto request = server.lastRequest()) {
                // What the request asks for structured output, if anything.
                const nlohmann::json body = request->json();
                std::string structured;
                if (body.is_object() && body.contains("tool_choice"))
                    structured = " tool_choice=" + body["tool_choice"].dump();
                else if (body.is_object() && body.contains("response_format") &&
                         body["response_format"].is_object())
                    structured =
                        " response_format=" + body["response_format"].value("type", std::string());
                std::printf("#%llu %s %s%s\n", static_cast<unsigned long long>(request->id),
                            request->http.method.constData(), request->http.target.constData(),
                            structured.c_str());
            }
            std::fflush(stdout);
        });
    }
    std::printf("llmtestserver listening on %s (OpenAI base URL %s)\n",
                qPrintable(server.baseUrl().toString()),
                qPrintable(server.openAiBaseUrl().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
