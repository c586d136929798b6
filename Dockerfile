# The Contoso Chat API server (server/ on lib/), as Azure Container Apps runs it.
#
#   docker build -t contoso-chat . && docker run -p 8000:8000 --env-file .env contoso-chat
#
# `deno task serve` is production mode: every part must be on Azure, and the server refuses to
# start, naming each missing variable, otherwise. azd builds this image remotely (ACR Tasks).
FROM denoland/deno:2.9.6

ENV DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1 \
    PORT=8000

WORKDIR /app
RUN chown deno:deno /app
USER deno

# Dependencies first, in their own layer: it is rebuilt only when the import map or lock change.
COPY --chown=deno:deno deno.json deno.lock ./
RUN deno install --frozen

# Then the code, type-checked and cached so the container starts without compiling.
COPY --chown=deno:deno lib/ lib/
COPY --chown=deno:deno server/ server/
COPY --chown=deno:deno prompts/ prompts/
COPY --chown=deno:deno data/ data/
RUN deno cache --frozen server/main.ts

EXPOSE 8000
CMD ["deno", "task", "serve"]
