module.exports = {
  setTag(req, context, ee, next) { req.headers['x-from-processor'] = context.vars.name; return next(); },
  remember(context, events, done) { context.vars.remembered = 'yes'; return done(); },
  afterIt(req, res, context, ee, next) { if (res.statusCode >= 500) console.log('bad'); next(); },
};
